// Writes a brotli (.br, quality 11) and a gzip (.gz, level 9) copy beside every text and wasm
// file of a built PWA directory, recursively. The service sends the copy the browser accepts,
// so the slow first load of the app carries the smallest bytes, compressed once at build time.
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const COMPRESSIBLE = /\.(wasm|js|css|html|svg|webmanifest|json|txt)$/;

function precompress(dir) {
  let raw = 0;
  let br = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = precompress(path);
      raw += inner.raw;
      br += inner.br;
    } else if (COMPRESSIBLE.test(entry.name)) {
      const bytes = readFileSync(path);
      const brotli = brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      });
      writeFileSync(`${path}.br`, brotli);
      writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      raw += bytes.length;
      br += brotli.length;
    }
  }
  return { raw, br };
}

const dir = process.argv[2];
if (!dir) {
  console.error("usage: node scripts/precompress-pwa.mjs <built PWA directory>");
  process.exit(2);
}
const { raw, br } = precompress(dir);
console.log(`precompressed ${dir}: ${(raw / 1024).toFixed(0)} KiB, ${(br / 1024).toFixed(0)} KiB as brotli`);
