// The same integration suite under @vscode/test-electron, for machines that can download a
// VS Code desktop build (or have one: set VSCODE_EXECUTABLE). Runs on the minimum supported
// VS Code (engines.vscode) and on stable. This machine kind has no download access: use
// `npm test`, whose offline launcher runs the suite in VS Code 1.100.3 through code-server.
import { runTests } from "@vscode/test-electron";
import { cpSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterReloadEntry, artifactsDir, repoRoot, samplesDir, suiteEntry } from "./paths";

async function main(): Promise<void> {
  const versions = process.env.VSCODE_EXECUTABLE ? ["given"] : ["1.100.3", "stable"];
  for (const version of versions) {
    const runDir = join(artifactsDir, `electron-${version}`);
    const workspace = join(runDir, "workspace");
    rmSync(runDir, { recursive: true, force: true });
    mkdirSync(workspace, { recursive: true });
    cpSync(samplesDir, workspace, { recursive: true });
    console.log(`\n== integration tests in VS Code ${version} (@vscode/test-electron)`);
    // The second window (a reload) opens the same workspace with the same user data.
    for (const extensionTestsPath of [suiteEntry, afterReloadEntry]) {
      await runTests({
        ...(process.env.VSCODE_EXECUTABLE ? { vscodeExecutablePath: process.env.VSCODE_EXECUTABLE } : { version }),
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath,
        launchArgs: [workspace, "--disable-extensions", "--disable-workspace-trust", "--skip-welcome", `--user-data-dir=${join(runDir, "user-data")}`],
        extensionTestsEnv: {
          INSTRUCT_STUDIO_TEST_MODE: "dev",
          INSTRUCT_STUDIO_TEST_RESULTS: join(runDir, "results.json"),
        },
      });
    }
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
