// The CLI run as a child process without blocking the test's own process (where the HTTP test server lives).
import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "../launch/paths";

export const cliPath = join(repoRoot, "out", "cli.js");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cliPath, ...args]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
