// Entry point that VS Code's extension host loads with --extensionTestsPath (both launchers).
import Mocha from "mocha";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface SuiteResults {
  passed: number;
  failed: number;
  tests: Array<{ title: string; state: "passed" | "failed"; ms: number; error?: string }>;
}

/** Files named `*.afterReload.test.js` run in a second window of the same workbench, after the first closed (afterReload.ts). */
export const afterReload = (file: string) => file.endsWith(".afterReload.test.js");

export function run(): Promise<void> {
  // The Restricted Mode run (workspace trust on, the folder untrusted) runs its own file alone; the others never run it.
  const restricted = process.env.INSTRUCT_STUDIO_TEST_MODE === "restricted";
  return runFiles((f) => (f === "restricted.test.js") === restricted && !afterReload(f));
}

/** Runs the suite's files that `pick` chooses; results are added to the results file of the run. */
export async function runFiles(pick: (file: string) => boolean): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", timeout: 90_000, color: false, reporter: "spec" });
  // INSTRUCT_STUDIO_TEST_GREP=pattern runs only the matching tests (while working on them).
  if (process.env.INSTRUCT_STUDIO_TEST_GREP) mocha.grep(process.env.INSTRUCT_STUDIO_TEST_GREP);
  for (const file of readdirSync(__dirname)
    .filter((f) => f.endsWith(".test.js") && pick(f))
    .sort())
    mocha.addFile(join(__dirname, file));
  const file = process.env.INSTRUCT_STUDIO_TEST_RESULTS;
  const results: SuiteResults = file && existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as SuiteResults) : { passed: 0, failed: 0, tests: [] };
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (file) writeFileSync(file, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
    runner.on("pass", (test) => {
      results.passed++;
      results.tests.push({ title: test.fullTitle(), state: "passed", ms: test.duration ?? 0 });
    });
    runner.on("fail", (test, error: Error) => {
      results.failed++;
      results.tests.push({ title: test.fullTitle(), state: "failed", ms: test.duration ?? 0, error: error.stack ?? error.message });
    });
  });
}
