// How many threads lint uses, and from what file size: read by the CLI's launcher, which starts a
// thread while the CLI loads, and by the parallel lint itself.
import { statSync } from "node:fs";
import { availableParallelism } from "node:os";

/** Files from this size are linted on every core; below it, starting threads costs more than it gains. */
export const parallelMinBytes = 16 * 1024 * 1024;
/**
 * The size from which a machine of two cores lints on both, unless threads were asked for. One
 * lint thread already keeps V8's compiler and collector busy on the second core, and each thread
 * compiles the analysis for itself: with two threads, a thread's first 2 MB took 0.24 to 0.3 s,
 * against 0.13 to 0.16 s on one thread. Two threads were 15% slower at 16 MB, 5% slower at 24 MB,
 * 3% faster at 32 MB and 14% faster at 50 MB (medians of 5 runs, one and two threads in turns).
 */
export const twoCoreParallelMinBytes = 32 * 1024 * 1024;

/** The threads INSTRUCT_STUDIO_LINT_THREADS asks for, if it is set to a whole number from 1. */
function threadsAskedFor(): number | undefined {
  const set = Number(process.env.INSTRUCT_STUDIO_LINT_THREADS);
  return Number.isInteger(set) && set >= 1 ? Math.min(set, 64) : undefined;
}

/** Threads lint uses: one per core up to 8, or INSTRUCT_STUDIO_LINT_THREADS (1 lints on one thread, with the least memory). */
export function lintThreads(): number {
  return threadsAskedFor() ?? Math.min(availableParallelism(), 8);
}

/**
 * The smallest file linted on several threads: larger on two cores, unless INSTRUCT_STUDIO_LINT_THREADS
 * asks for threads or the run's threads already compiled the analysis (`warm`: on two cores, 16 MB
 * took 0.32–0.34 s with them against 0.48–0.53 s on one thread).
 */
export function parallelThresholdBytes(cores = availableParallelism(), asked = threadsAskedFor(), warm = false): number {
  return asked === undefined && cores <= 2 && !warm ? twoCoreParallelMinBytes : parallelMinBytes;
}

/** Whether `file` is a regular file from the size linted on several threads (`warm`: the run's threads linted a file before). */
export function sizedForThreads(file: string, warm = false): boolean {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && stat.size >= parallelThresholdBytes(undefined, undefined, warm);
}

/** Each thread gets the heap the CLI gives itself (128 MB: a 16 MB row fits), so memory grows by threads, not by file size. */
export const lintThreadLimits = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 16 };
