import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { fileDone, LintWorkerMessage } from "../protocol/lintWorker";
import { takeEarlyLintThread } from "./earlyLintThread";
import { lintThreadLimits } from "./lintThreads";

export const defaultLintWorkerScript = () => join(__dirname, "lint-worker.js");

/**
 * The lint worker threads of one run, kept from one file to the next. Each thread compiles the
 * analysis for itself, and until it has, it is slow and keeps the compiler busy on the cores the
 * other threads need: on a 2-core machine a new thread's first three 2 MB chunks took 190, 100
 * and 75 ms against 60 once compiled, and a 50 MB file took 1.14–1.20 s on both cores with a new
 * thread against 0.86–0.92 s with one that had linted a file before. A run's later files (the
 * shards of a dataset) get the threads its first one compiled.
 */
export class LintWorkerPool {
  private readonly idle: Worker[] = [];
  /** Threads started and not yet given a file: the launcher's (earlyLintThread), which is not compiled yet. */
  private readonly fresh: Worker[] = [];
  private readonly exited = new Set<Worker>();
  /** Threads started so far. */
  started = 0;

  constructor(readonly script = defaultLintWorkerScript()) {
    const early = takeEarlyLintThread(script);
    if (early) this.fresh.push(this.watch(early));
  }

  /** Whether threads kept from an earlier file wait here, compiled. */
  get warm(): boolean {
    return this.idle.some((worker) => !this.exited.has(worker));
  }

  /** `count` threads for one file: those kept from earlier files first, then the launcher's, then new ones. */
  take(count: number): Worker[] {
    const running = (worker: Worker) => !this.exited.has(worker);
    const taken = this.idle.splice(0, count).filter(running);
    taken.push(...this.fresh.splice(0, count - taken.length).filter(running));
    for (const worker of taken) worker.ref();
    while (taken.length < count) taken.push(this.start());
    return taken;
  }

  /** Keeps a thread that finished a file with no chunk in hand, for the next; it does not keep the process alive meanwhile. */
  keep(worker: Worker): void {
    if (this.exited.has(worker)) return;
    worker.postMessage(fileDone satisfies LintWorkerMessage);
    worker.unref();
    this.idle.push(worker);
  }

  /** Stops the threads kept. */
  async close(): Promise<void> {
    await Promise.all([...this.idle.splice(0), ...this.fresh.splice(0)].map((worker) => worker.terminate()));
  }

  private start(): Worker {
    return this.watch(new Worker(this.script, { resourceLimits: lintThreadLimits }));
  }

  private watch(worker: Worker): Worker {
    this.started++;
    // A thread that stops while kept (out of memory, killed) is never handed out again.
    worker.once("exit", () => this.exited.add(worker));
    return worker;
  }
}
