import { ChildProcess, fork } from "node:child_process";

type Pending<Res> = { resolve: (r: Res) => void; reject: (e: Error) => void; timer?: NodeJS.Timeout };
/** A request without its id: the host numbers requests itself. */
export type Body<Req> = Req extends { id: number } ? Omit<Req, "id"> : never;

export class WorkerTimeoutError extends Error {}

/**
 * A Node process running one of the extension's worker scripts: started on first use,
 * restarted after it dies, killed when a request overruns its time (a runaway chat template
 * cannot be interrupted any other way). Its exit becomes a clear error for every request in
 * flight; the extension host itself is never at risk.
 */
export class WorkerProcess<Req extends { id: number }, Res extends { id: number }> {
  private worker: { process: ChildProcess; pending: Map<number, Pending<Res>> } | undefined;
  private nextId = 1;

  constructor(
    private readonly script: string,
    private readonly name: string,
    private readonly maxOldSpaceMb?: number,
  ) {}

  request(body: Body<Req>, timeoutMs?: number): Promise<Res> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending<Res> = { resolve, reject };
      if (timeoutMs) {
        pending.timer = setTimeout(() => {
          worker.pending.delete(id);
          reject(new WorkerTimeoutError(`stopped after ${(timeoutMs / 1000).toLocaleString("en-US")} s`));
          // Whatever else was in flight fails with the exit error; the next request gets a new process.
          if (this.worker === worker) this.worker = undefined;
          worker.process.kill("SIGKILL");
        }, timeoutMs);
      }
      worker.pending.set(id, pending);
      worker.process.send({ ...body, id });
    });
  }

  get pid(): number | undefined {
    return this.worker?.process.pid;
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
      clearTimeout(pending.timer);
      worker.pending.delete(message.id);
      pending.resolve(message);
    });
    child.on("exit", (code, signal) => {
      const outOfMemory = /heap out of memory|Allocation failed/i.test(stderr);
      const why = outOfMemory ? "ran out of memory" : `stopped (${signal ?? `exit code ${code}`})`;
      const error = new Error(`The ${this.name} process ${why}${stderr && !outOfMemory ? `: ${stderr.trim()}` : ""}`);
      for (const p of worker.pending.values()) {
        clearTimeout(p.timer);
        p.reject(error);
      }
      worker.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    this.worker?.process.kill();
    this.worker = undefined;
  }
}
