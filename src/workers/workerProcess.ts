import { ChildProcess, fork } from "node:child_process";

type Pending<Res> = {
  resolve: (r: Res) => void;
  reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
  onEvent?: (event: Res) => void;
  restartTimer?: () => void;
};
/** A request without its id: the host numbers requests itself. */
export type Body<Req> = Req extends { id: number } ? Omit<Req, "id"> : never;

export class WorkerTimeoutError extends Error {}

export interface RequestOptions<Res> {
  /** Kill the worker when the request takes longer than this. */
  timeoutMs?: number;
  /** Kill the worker when this long passes without an event or the answer (a hung worker). */
  inactivityMs?: number;
  /** Messages before the answer (progress, streamed text); `isEvent` tells them apart. */
  onEvent?: (event: Res) => void;
  /** Called with the request's id as soon as it is sent (to cancel it later). */
  onSent?: (id: number) => void;
}

/**
 * A Node process running one of the extension's worker scripts: started on first use,
 * restarted after it dies, killed when a request overruns its time (a runaway chat template or
 * a hung native call cannot be interrupted any other way). Its exit becomes a clear error for
 * every request in flight; the extension host itself is never at risk.
 */
export class WorkerProcess<Req extends { id: number }, Res extends { id: number }> {
  private worker: { process: ChildProcess; pending: Map<number, Pending<Res>> } | undefined;
  private nextId = 1;
  /** Called when a worker process exits, expectedly or not. */
  onExit: ((error: Error) => void) | undefined;

  constructor(
    private readonly script: string,
    private readonly name: string,
    private readonly maxOldSpaceMb?: number,
    private readonly isEvent: (message: Res) => boolean = () => false,
  ) {}

  request(body: Body<Req>, options: RequestOptions<Res> | number = {}): Promise<Res> {
    const { timeoutMs, inactivityMs, onEvent, onSent } = typeof options === "number" ? { timeoutMs: options } : options;
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending<Res> = { resolve, reject, onEvent };
      const kill = (why: string) => {
        worker.pending.delete(id);
        reject(new WorkerTimeoutError(why));
        // Whatever else was in flight fails with the exit error; the next request gets a new process.
        if (this.worker === worker) this.worker = undefined;
        worker.process.kill("SIGKILL");
      };
      if (timeoutMs) pending.timer = setTimeout(() => kill(`stopped after ${(timeoutMs / 1000).toLocaleString("en-US")} s`), timeoutMs);
      if (inactivityMs) {
        pending.restartTimer = () => {
          clearTimeout(pending.timer);
          pending.timer = setTimeout(
            () => kill(`The ${this.name} process stopped responding (nothing for ${Math.round(inactivityMs / 1000)} s) and was restarted.`),
            inactivityMs,
          );
        };
        pending.restartTimer();
      }
      worker.pending.set(id, pending);
      worker.process.send({ ...body, id });
      onSent?.(id);
    });
  }

  /** A message that gets no answer (a cancel); dropped when no worker runs. */
  notify(body: Body<Req>): void {
    this.worker?.process.send({ ...body, id: this.nextId++ });
  }

  get pid(): number | undefined {
    return this.worker?.process.pid;
  }

  get running(): boolean {
    return this.worker !== undefined;
  }

  private ensureWorker(): { process: ChildProcess; pending: Map<number, Pending<Res>> } {
    if (this.worker) return this.worker;
    // ELECTRON_RUN_AS_NODE makes an Electron-based host's executable behave as plain Node.
    const child = fork(this.script, [], {
      execPath: process.execPath,
      execArgv: this.maxOldSpaceMb ? [`--max-old-space-size=${this.maxOldSpaceMb}`] : [],
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
      serialization: "advanced",
    });
    const worker = { process: child, pending: new Map<number, Pending<Res>>() };
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on("message", (message: Res) => {
      const pending = worker.pending.get(message.id);
      if (!pending) return;
      if (this.isEvent(message)) {
        pending.restartTimer?.();
        pending.onEvent?.(message);
        return;
      }
      clearTimeout(pending.timer);
      worker.pending.delete(message.id);
      pending.resolve(message);
    });
    child.on("exit", (code, signal) => {
      const outOfMemory = /heap out of memory|Allocation failed|std::bad_alloc|out of memory/i.test(stderr);
      const why = outOfMemory ? "ran out of memory" : `stopped (${signal ?? `exit code ${code}`})`;
      const error = new Error(`The ${this.name} process ${why}${stderr && !outOfMemory ? `: ${stderr.trim()}` : ""}`);
      for (const p of worker.pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      worker.pending.clear();
      if (this.worker === worker) this.worker = undefined;
      this.onExit?.(error);
    });
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    this.worker?.process.kill();
    this.worker = undefined;
  }
}
