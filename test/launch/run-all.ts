// `npm test`: type check, Prettier's check, ESLint, the import-cycle checks, unit tests under plain Node,
// then the integration suite in a real VS Code (source tree, installed VSIX, Restricted Mode). Ends with one line: "total: N passed, N failed".
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { artifactsDir, repoRoot } from "./paths";
import { packageVsix, runMode } from "./integrationRun";

interface Count {
  label: string;
  passed: number;
  failed: number;
  failures?: string[];
}

function typecheck(): Count {
  console.log("\n== type check (tsc --noEmit)");
  const result = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "--noEmit", "-p", repoRoot], { stdio: "inherit" });
  return { label: "type check", passed: result.status === 0 ? 1 : 0, failed: result.status === 0 ? 0 : 1 };
}

/** Prettier's check, as rust-analyzer's `format:check`: `npm run format` writes what it wants. */
function formatCheck(): Count {
  console.log("\n== format (prettier --check; npm run format fixes)");
  const bin = join(repoRoot, "node_modules", "prettier", "bin", "prettier.cjs");
  const patterns = ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "webview/**/*.{ts,css}", "esbuild.mjs", "scripts/**/*.mjs"];
  const result = spawnSync(process.execPath, [bin, "--check", "--log-level", "warn", ...patterns], { cwd: repoRoot, stdio: "inherit" });
  return { label: "format", passed: result.status === 0 ? 1 : 0, failed: result.status === 0 ? 0 : 1 };
}

function eslint(): Count {
  console.log("\n== lint (eslint, typescript-eslint's recommended rules)");
  const bin = join(repoRoot, "node_modules", "eslint", "bin", "eslint.js");
  const result = spawnSync(process.execPath, [bin, "src", "webview", "test", "bench"], { cwd: repoRoot, stdio: "inherit" });
  return { label: "eslint", passed: result.status === 0 ? 1 : 0, failed: result.status === 0 ? 0 : 1 };
}

/**
 * No import circle: none at all inside src/core (its floors, formats below validation, generation
 * and training, stay floors), and none that runs anywhere in src (the adapters name the
 * extension's context by a type-only import, which compiles away; madge's rc reads the option
 * that skips those from the environment).
 */
function importCycles(): Count {
  console.log("\n== import cycles (madge): src/core, then src's runtime imports");
  const bin = join(repoRoot, "node_modules", "madge", "bin", "cli.js");
  const args = [bin, "--circular", "--extensions", "ts", "--no-spinner"];
  const core = spawnSync(process.execPath, [...args, "src/core"], { cwd: repoRoot, stdio: "inherit" });
  const env = { ...process.env, madge_detectiveOptions__ts__skipTypeImports: "true" };
  const all = spawnSync(process.execPath, [...args, "src", "webview"], { cwd: repoRoot, stdio: "inherit", env });
  const passed = [core, all].filter((r) => r.status === 0).length;
  return { label: "import cycles", passed, failed: 2 - passed };
}

function unitTests(): Count {
  console.log("\n== unit tests (node --test)");
  const dir = join(repoRoot, "out", "test", "unit");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".test.js"))
    .map((f) => join(dir, f));
  mkdirSync(artifactsDir, { recursive: true });
  const tap = join(artifactsDir, "unit.tap");
  const result = spawnSync(
    process.execPath,
    ["--test", "--test-reporter=spec", "--test-reporter-destination=stdout", "--test-reporter=tap", `--test-reporter-destination=${tap}`, ...files],
    { stdio: "inherit" },
  );
  const summary = readFileSync(tap, "utf8");
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, "m").exec(summary)?.[1] ?? 0);
  const failed = count("fail") + count("cancelled");
  const failures = [...summary.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((m) => m[1]);
  return { label: "unit", passed: count("pass"), failed: failed || (result.status === 0 ? 0 : 1), failures };
}

async function integration(): Promise<Count[]> {
  console.log("\n== integration tests in VS Code 1.100.3 (code-server + Chromium, offline)");
  const vsix = packageVsix();
  const counts: Count[] = [];
  const labels = { dev: "integration (source tree)", vsix: "integration (installed VSIX)", restricted: "integration (Restricted Mode)" };
  for (const mode of ["dev", "vsix", "restricted"] as const) {
    const { results, exitCode } = await runMode(mode, vsix);
    const label = labels[mode];
    // A run that wrote no results, or failed outside any test, counts as one failure.
    const failed = results && (exitCode === 0 || results.failed > 0) ? results.failed : Math.max(1, results?.failed ?? 0);
    const failures = (results?.tests ?? [])
      .filter((t) => t.state === "failed")
      .map((t) => `${t.title}\n      ${(t.error ?? "").split("\n").slice(0, 6).join("\n      ")}`);
    counts.push({ label, passed: results?.passed ?? 0, failed, failures });
  }
  return counts;
}

async function main(): Promise<void> {
  const counts = [typecheck(), formatCheck(), eslint(), importCycles(), unitTests(), ...(await integration())];
  console.log("\n== summary");
  for (const c of counts) console.log(`${c.label}: ${c.passed} passed, ${c.failed} failed`);
  // CI keeps only the end of the log: the failing tests are named again here.
  for (const c of counts) for (const f of c.failures ?? []) console.log(`FAILED (${c.label}) ${f}`);
  const passed = counts.reduce((n, c) => n + c.passed, 0);
  const failed = counts.reduce((n, c) => n + c.failed, 0);
  console.log(`total: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  console.log("total: 0 passed, 1 failed");
  process.exitCode = 1;
});
