// Renames one export of a wasm module in place: `node rename-wasm-export.mjs FILE FROM TO`.
//
// scripts/link-wasm uses it on the worker's main module after the split: the chunks reach the
// main module's function table through its export `__indirect_function_table`, which
// wasm-bindgen removes as one of the exports LLD synthesizes (trunk does not pass it
// `--keep-lld-exports`). Under another name the table stays exported, so wasm-bindgen and
// wasm-opt also keep the slots the splitter gave the chunks.
import { readFileSync, writeFileSync } from "node:fs";

const [file, from, to] = process.argv.slice(2);
if (!file || !from || !to) throw new Error("usage: rename-wasm-export.mjs FILE FROM TO");
const wasm = readFileSync(file);

function readLeb(bytes, at) {
  let value = 0;
  let shift = 0;
  let byte;
  do {
    byte = bytes[at++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
  } while (byte & 0x80);
  return [value, at];
}

function leb(n) {
  const out = [];
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return Buffer.from(out);
}

const EXPORT_SECTION = 7;
const parts = [wasm.subarray(0, 8)];
let renamed = 0;
let at = 8;
while (at < wasm.length) {
  const start = at;
  const id = wasm[at++];
  let size;
  [size, at] = readLeb(wasm, at);
  const end = at + size;
  if (id !== EXPORT_SECTION) {
    parts.push(wasm.subarray(start, end));
    at = end;
    continue;
  }
  let count;
  [count, at] = readLeb(wasm, at);
  const body = [leb(count)];
  for (let i = 0; i < count; i++) {
    let length;
    [length, at] = readLeb(wasm, at);
    let name = wasm.subarray(at, at + length).toString("utf8");
    at += length;
    const kind = wasm[at++];
    let index;
    [index, at] = readLeb(wasm, at);
    if (name === from) {
      name = to;
      renamed++;
    }
    body.push(leb(Buffer.byteLength(name)), Buffer.from(name, "utf8"), Buffer.from([kind]), leb(index));
  }
  const content = Buffer.concat(body);
  parts.push(Buffer.from([EXPORT_SECTION]), leb(content.length), content);
  at = end;
}
if (renamed !== 1) throw new Error(`${file}: expected one export named ${from}, found ${renamed}`);
writeFileSync(file, Buffer.concat(parts));
