// A lint thread started by the launcher while the CLI loads: on a 2-core machine both take about
// 50 ms, one after the other before this. The lint's pool takes the thread (LintWorkerPool).
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { lintThreadLimits, lintThreads, sizedForThreads } from "./lintThreads";

/** Where the thread waits for the pool: the launcher and the CLI are two bundles of one process. */
const waiting = Symbol.for("instruct-studio.early-lint-thread");
type Holder = { [waiting]?: { worker: Worker; script: string } };

/**
 * Whether `instruct-studio lint` with these arguments lints a file on several threads: a file
 * from the size the parallel lint starts at, and no tokenizer (token counts are taken on one
 * thread). A thread started for nothing is stopped when the lint ends.
 */
export function lintsOnThreads(argv: readonly string[]): boolean {
  const [command, ...args] = argv.slice(2);
  if (command !== "lint" || lintThreads() < 2 || args.some((arg) => arg.startsWith("--tokenizer"))) return false;
  return args.some((arg) => {
    try {
      return sizedForThreads(arg);
    } catch {
      // Not a file this process may read: the lint itself says so.
      return false;
    }
  });
}

/** Starts a lint thread for the pool to take, when the command lints on several threads; returns it. */
export function startLintThreadEarly(argv: readonly string[] = process.argv, script = join(__dirname, "lint-worker.js")): Worker | undefined {
  if (!lintsOnThreads(argv)) return undefined;
  const worker = new Worker(script, { resourceLimits: lintThreadLimits });
  // Until the pool takes it, the thread neither keeps the process alive nor fails it: one that
  // stopped is not taken (its threadId is then -1).
  worker.unref();
  worker.on("error", () => undefined);
  (globalThis as Holder)[waiting] = { worker, script };
  return worker;
}

/** The thread started early to run `script`, if it still runs; it is handed out once. */
export function takeEarlyLintThread(script: string): Worker | undefined {
  const holder = globalThis as Holder;
  const early = holder[waiting];
  if (early?.script !== script) return undefined;
  delete holder[waiting];
  return early.worker.threadId !== -1 ? early.worker : undefined;
}
