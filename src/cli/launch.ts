// The `instruct-studio` command. stats, and lint of JSON arrays or with a tokenizer, run in a child
// process with a capped heap (heapCap.ts): this small file decides that before the CLI is loaded,
// which took the parent a fifth of a second of module loading for nothing (a tenth of a 50 MB lint).
import { join } from "node:path";
import { startLintThreadEarly } from "./earlyLintThread";
import { relaunchWithHeapCap } from "./heapCap";

void (async () => {
  const code = await relaunchWithHeapCap();
  if (code !== undefined) {
    process.exitCode = code;
    return;
  }
  try {
    // A lint on several threads starts its first thread now, to load while this thread loads the CLI.
    startLintThreadEarly();
    // Loaded at run time, not bundled here: only the process that runs the command pays for it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a path known at run time, kept out of this bundle
    const cli = require(join(__dirname, "cli-main.js")) as typeof import("./main");
    await cli.main();
  } catch (error) {
    // Exit 1 means "errors found": a CLI that cannot load must not look like it.
    process.stderr.write(`instruct-studio: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  }
})();
