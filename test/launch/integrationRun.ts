// Runs the integration suite inside a real VS Code (code-server 4.100.3 = VS Code 1.100.3) driven
// by Debian's Chromium, with no network: on the source tree, or on the installed VSIX.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { SuiteResults } from "../suite/index";
import { ensureCodeServer, installVsix, startCodeServer } from "./codeServer";
import { afterReloadEntry, artifactsDir, repoRoot, samplesDir, screenshotsDir, suiteEntry } from "./paths";
import { prepareTestModels } from "./testModels";
import { runSuiteInWorkbench } from "./workbench";

/** "restricted" runs the source tree with workspace trust on and the folder untrusted (Restricted Mode), for the tests of what it allows. */
export type Mode = "dev" | "vsix" | "restricted";

/** A quiet workbench: no prompts over what the screenshots show. */
export const hostSettings = {
  "workbench.startupEditor": "none",
  "workbench.tips.enabled": false,
  "git.openRepositoryInParentFolders": "never",
  "extensions.ignoreRecommendations": true,
  "telemetry.telemetryLevel": "off",
};

export interface ModeResult {
  mode: Mode;
  exitCode: number;
  results: SuiteResults | undefined;
}

/** Packages the extension exactly as users get it. */
export function packageVsix(): string {
  execFileSync(process.execPath, [join(repoRoot, "scripts", "package-vsix.mjs")], { cwd: repoRoot, stdio: "inherit" });
  const { name, version } = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));
  const vsix = join(artifactsDir, `${name}-${version}-linux-x64.vsix`);
  if (!existsSync(vsix)) throw new Error(`packaging produced no ${vsix}`);
  return vsix;
}

export async function runMode(mode: Mode, vsix?: string): Promise<ModeResult> {
  const entry = ensureCodeServer();
  const runDir = join(artifactsDir, `run-${mode}`);
  rmSync(runDir, { recursive: true, force: true });
  const dirs = {
    userDataDir: join(runDir, "user-data"),
    extensionsDir: join(runDir, "extensions"),
    folder: join(runDir, "workspace"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  cpSync(samplesDir, dirs.folder, { recursive: true });
  cpSync(join(repoRoot, "test", "fixtures"), join(dirs.folder, "fixtures"), { recursive: true, filter: (src) => !src.includes("-extension") });
  prepareTestModels(dirs.folder);
  mkdirSync(join(dirs.userDataDir, "User"), { recursive: true });
  // Restricted Mode: no trust prompt (it would only be refused in a test run); the folder stays untrusted.
  const settings =
    mode === "restricted" ? { ...hostSettings, "security.workspace.trust.startupPrompt": "never", "security.workspace.trust.banner": "always" } : hostSettings;
  writeFileSync(join(dirs.userDataDir, "User", "settings.json"), JSON.stringify(settings, null, 2));
  const screenshotDir = join(screenshotsDir, mode);
  rmSync(screenshotDir, { recursive: true, force: true });
  mkdirSync(screenshotDir, { recursive: true });

  let extensionDevelopmentPath = repoRoot;
  if (mode === "vsix") {
    if (!vsix) throw new Error("the vsix mode needs a packaged VSIX");
    installVsix(entry, [vsix], dirs);
    extensionDevelopmentPath = join(repoRoot, "test", "fixtures", "host-extension");
  }
  const resultsFile = join(runDir, "results.json");
  const server = await startCodeServer(entry, {
    ...dirs,
    restricted: mode === "restricted",
    logFile: join(runDir, "code-server.log"),
    env: {
      INSTRUCT_STUDIO_TEST_MODE: mode,
      INSTRUCT_STUDIO_TEST_RESULTS: resultsFile,
      INSTRUCT_STUDIO_SCREENSHOTS: screenshotDir,
      INSTRUCT_STUDIO_EXTENSIONS_DIR: dirs.extensionsDir,
    },
  });
  console.log(`\n[${mode}] VS Code 1.100.3 (code-server) at ${server.origin}, workspace ${dirs.folder}`);
  try {
    const window = { server, folder: dirs.folder, extensionDevelopmentPath, screenshotDir, log: (line: string) => console.log(`[${mode}] ${line}`) };
    let exitCode = await runSuiteInWorkbench({ ...window, extensionTestsPath: suiteEntry, timeoutMs: mode === "restricted" ? 3 * 60_000 : 8 * 60_000 });
    // A reload: a new window and extension host on the same user data and workspace storage.
    if (mode !== "restricted")
      exitCode = Math.max(exitCode, await runSuiteInWorkbench({ ...window, extensionTestsPath: afterReloadEntry, timeoutMs: 3 * 60_000 }));
    const results = existsSync(resultsFile) ? (JSON.parse(readFileSync(resultsFile, "utf8")) as SuiteResults) : undefined;
    printResults(mode, results);
    console.log(`[${mode}] screenshots in ${screenshotDir}`);
    return { mode, exitCode: results ? exitCode : 1, results };
  } finally {
    await server.stop();
  }
}

function printResults(mode: Mode, results: SuiteResults | undefined): void {
  if (!results) {
    console.log(`[${mode}] the suite wrote no results: it did not run (see ${artifactsDir}/run-${mode}/code-server.log)`);
    return;
  }
  for (const test of results.tests) {
    console.log(`[${mode}] ${test.state === "passed" ? "ok  " : "FAIL"} ${test.title} (${test.ms} ms)`);
    if (test.error) console.log(test.error.replace(/^/gm, "        "));
  }
  console.log(`[${mode}] ${results.passed} passed, ${results.failed} failed`);
}
