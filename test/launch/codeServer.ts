import { ChildProcess, execFileSync, spawn } from "node:child_process";
import { createWriteStream, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheDir } from "./paths";
import { ensureSystemPackages } from "./systemPackages";

/** The last code-server release whose engine is Node 20; it bundles VS Code 1.100.3. */
export const codeServerVersion = "4.100.3";
/** @vscode/ripgrep's version in that release: its postinstall looks for a cached archive first. */
const ripgrepPackageVersion = "1.15.11";
const ripgrepArchive = "ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz";

const installDir = join(cacheDir, `code-server-${codeServerVersion}`);
const entry = join(installDir, "node_modules", "code-server", "out", "node", "entry.js");
const installedMarker = join(installDir, ".installed");

/** Puts Debian's ripgrep where @vscode/ripgrep looks before it tries to download one. */
function prepareRipgrepCache(): void {
  const dir = join(tmpdir(), `vscode-ripgrep-cache-${ripgrepPackageVersion}`);
  if (existsSync(join(dir, ripgrepArchive))) return;
  mkdirSync(dir, { recursive: true });
  execFileSync("tar", ["-czf", join(dir, ripgrepArchive), "-C", "/usr/bin", "rg"]);
}

/** Installs code-server into the test cache once (about a minute), returning its entry script. */
export function ensureCodeServer(): string {
  if (existsSync(installedMarker) && existsSync(entry)) return entry;
  ensureSystemPackages("server");
  prepareRipgrepCache();
  rmSync(installDir, { recursive: true, force: true });
  mkdirSync(installDir, { recursive: true });
  // npm 11 runs no dependency install scripts unless allowed; code-server's postinstall must run.
  writeFileSync(
    join(installDir, "package.json"),
    JSON.stringify({ name: "instruct-studio-test-host", private: true, allowScripts: { "code-server": true, argon2: true } }, null, 2),
  );
  const log = join(installDir, "install.log");
  console.log(`Installing code-server ${codeServerVersion} into ${installDir} (log: ${log})`);
  try {
    execFileSync("bash", ["-c", `npm install --no-audit --no-fund --foreground-scripts code-server@${codeServerVersion} > install.log 2>&1`], {
      cwd: installDir,
      env: { ...process.env, npm_config_unsafe_perm: "true", npm_config_yes: "true" },
      stdio: "inherit",
    });
  } catch (error) {
    throw new Error(`code-server install failed; see ${log}: ${(error as Error).message}`, { cause: error });
  }
  if (!existsSync(entry)) throw new Error(`code-server install left no ${entry}; see ${log}`);
  writeFileSync(installedMarker, codeServerVersion);
  return entry;
}

export interface ServerOptions {
  userDataDir: string;
  extensionsDir: string;
  folder: string;
  env: Record<string, string>;
  logFile: string;
  /** A fixed port; a free one is picked when absent. */
  port?: number;
  /** Workspace trust on, nothing trusted: the folder opens in Restricted Mode. */
  restricted?: boolean;
}

export interface RunningServer {
  origin: string;
  authority: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

const baseArgs = (o: Pick<ServerOptions, "userDataDir" | "extensionsDir" | "restricted">) => [
  "--disable-telemetry",
  "--disable-update-check",
  ...(o.restricted ? [] : ["--disable-workspace-trust"]),
  "--config",
  join(o.userDataDir, "config.yaml"),
  "--user-data-dir",
  o.userDataDir,
  "--extensions-dir",
  o.extensionsDir,
];

/**
 * Installs packaged extensions, exactly as a user installs VSIX files. One call for all: separate
 * calls rewrite the extensions manifest and can lose an earlier install.
 */
export function installVsix(entryScript: string, vsixFiles: string[], options: Pick<ServerOptions, "userDataDir" | "extensionsDir">): void {
  const installs = vsixFiles.flatMap((vsix) => ["--install-extension", vsix]);
  execFileSync(process.execPath, [entryScript, ...baseArgs(options), ...installs], { stdio: "inherit" });
}

async function waitForHttp(origin: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${origin}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer at ${origin} within ${timeoutMs} ms`);
}

export async function startCodeServer(entryScript: string, options: ServerOptions): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const authority = `127.0.0.1:${port}`;
  const log = createWriteStream(options.logFile);
  const child = spawn(process.execPath, [entryScript, "--auth", "none", "--bind-addr", authority, ...baseArgs(options), options.folder], {
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  const origin = `http://${authority}`;
  await waitForHttp(origin, child, 60_000);
  return {
    origin,
    authority,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}
