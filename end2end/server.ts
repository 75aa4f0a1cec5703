// Starts a real PeerPulse service (the built binary, a fresh SQLite file, the release PWA build)
// for the whole run, and hands its URL and first enrolment code to the tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = resolve(__dirname, "..");
  const binary = resolve(process.env.PEERPULSE_SERVER_BIN ?? join(root, "target/debug/peerpulse-server"));
  const dataDir = mkdtempSync(join(tmpdir(), "peerpulse-e2e-"));
  // No DHIS2 can run here: a stand-in takes `POST /api/dataValueSets` and answers an import
  // summary in DHIS2 2.37+'s shape (a dry run imports nothing).
  const dhis2 = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      const values = (JSON.parse(body || "{}").dataValues ?? []).length;
      const dryRun = new URL(req.url ?? "/", "http://dhis2").searchParams.get("dryRun") === "true";
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ httpStatus: "OK", httpStatusCode: 200, status: "OK", response: {
        responseType: "ImportSummary", status: "SUCCESS", conflicts: [],
        importCount: { imported: dryRun ? 0 : values, updated: 0, ignored: 0, deleted: 0 } } }));
    });
  });
  await new Promise<void>((ok) => dhis2.listen(0, "127.0.0.1", ok));
  const passwordFile = join(dataDir, "dhis2-password");
  writeFileSync(passwordFile, "district\n");
  const server = spawn(
    binary,
    ["serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--static-dir", join(root, "dist")],
    {
      stdio: ["ignore", "pipe", "inherit"],
      env: {
        ...process.env,
        PEERPULSE_DHIS2_URL: `http://127.0.0.1:${(dhis2.address() as AddressInfo).port}`,
        PEERPULSE_DHIS2_USERNAME: "pulse",
        PEERPULSE_DHIS2_PASSWORD_FILE: passwordFile,
      },
    },
  );

  const { url, code, adminLink } = await new Promise<{ url: string; code: string; adminLink: string }>((ok, fail) => {
    let out = "";
    let code = "";
    let adminLink = "";
    const timer = setTimeout(() => fail(new Error(`service did not start in 30 s:\n${out}`)), 30_000);
    server.on("exit", (status) => fail(new Error(`service exited with ${status}:\n${out}`)));
    server.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      code ||= /Enrolment code for a phone: ([A-Z0-9]{4}-[A-Z0-9]{4})/.exec(out)?.[1] ?? "";
      adminLink ||= /Admin sign-in link \(one-time, expires in [^)]*\): (\S+)/.exec(out)?.[1] ?? "";
      const running = /PeerPulse is running at (http:\/\/\S+)/.exec(out);
      if (running && code && adminLink) {
        clearTimeout(timer);
        ok({ url: running[1], code, adminLink });
      }
    });
  });
  process.env.PEERPULSE_URL = url;
  process.env.PEERPULSE_SERVER_BIN = binary;
  process.env.PEERPULSE_DATA_DIR = dataDir;
  process.env.PEERPULSE_ENROL_CODE = code;
  process.env.PEERPULSE_ADMIN_LINK = adminLink;

  return async () => {
    server.kill("SIGTERM");
    dhis2.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
}
