// Entry point that VS Code's extension host loads with --extensionTestsPath (both launchers).
import Mocha from "mocha";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface SuiteResults {
  passed: number;
  failed: number;
  tests: Array<{ title: string; state: "passed" | "failed"; ms: number; error?: string }>;
}

export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: "bdd", timeout: 90_000, color: false, reporter: "spec" });
  // INSTRUCT_STUDIO_TEST_GREP=pattern runs only the matching tests (while working on them).
  if (process.env.INSTRUCT_STUDIO_TEST_GREP) mocha.grep(process.env.INSTRUCT_STUDIO_TEST_GREP);
  // The Restricted Mode run (workspace trust on, the folder untrusted) runs its own file alone; the others never run it.
  const restricted = process.env.INSTRUCT_STUDIO_TEST_MODE === "restricted";
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith(".test.js") && (f === "restricted.test.js") === restricted).sort()) mocha.addFile(join(__dirname, file));
  const results: SuiteResults = { passed: 0, failed: 0, tests: [] };
  await new Promise<void>((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.INSTRUCT_STUDIO_TEST_RESULTS;
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
