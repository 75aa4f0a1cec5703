// Starts a real PeerPulse service (the built binary, a fresh SQLite file, the release PWA build)
// for the whole run, and hands its URL and first enrolment code to the tests.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export default async function globalSetup(): Promise<() => Promise<void>> {
  const root = resolve(__dirname, "..");
  const binary = resolve(process.env.PEERPULSE_SERVER_BIN ?? join(root, "target/debug/peerpulse-server"));
  const dataDir = mkdtempSync(join(tmpdir(), "peerpulse-e2e-"));
  const server = spawn(
    binary,
    ["serve", "--addr", "127.0.0.1:0", "--data-dir", dataDir, "--static-dir", join(root, "dist")],
    { stdio: ["ignore", "pipe", "inherit"] },
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
    rmSync(dataDir, { recursive: true, force: true });
  };
}
