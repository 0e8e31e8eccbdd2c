import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The checkout holding this build; found by walking up, since bundles sit at several depths in out/. */
function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, "utf8")).name === "instruct-studio") return dir;
  }
  throw new Error(`no instruct-studio checkout above ${from}`);
}

export const repoRoot = findRepoRoot(__dirname);
/** Downloaded or installed test hosts live here, as @vscode/test-electron caches its builds. */
export const cacheDir = join(repoRoot, ".vscode-test");
/** What a test run leaves for people to look at: screenshots, logs, the VSIX. */
export const artifactsDir = join(repoRoot, "artifacts");
export const screenshotsDir = join(artifactsDir, "screenshots");
export const suiteEntry = join(repoRoot, "out", "test", "suite", "index.js");
/** The second window's entry: the tests of what survives a reload. */
export const afterReloadEntry = join(repoRoot, "out", "test", "suite", "afterReload.js");
export const samplesDir = join(repoRoot, "samples");
