import { ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { RuntimeInfo, WorkerRequest, WorkerResponse } from "./protocol";

type Pending = { resolve: (r: WorkerResponse) => void; reject: (e: Error) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, "id"> : never) : never;

/**
 * The extension's side of the model backend: starts the worker process on first use and
 * turns its exit into a clear error for every request in flight.
 */
export class ModelHost {
  private worker: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly outDir: string) {}

  async probe(gpu = false): Promise<RuntimeInfo> {
    const response = await this.request({ type: "probe", gpu });
    if (response.type === "error") throw new Error(response.message);
    return response.info;
  }

  private request(body: RequestBody): Promise<WorkerResponse> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.send({ ...body, id } satisfies WorkerRequest);
    });
  }

  private ensureWorker(): ChildProcess {
    if (this.worker && this.worker.exitCode === null) return this.worker;
    // ELECTRON_RUN_AS_NODE makes an Electron-based host's executable behave as plain Node.
    const worker = fork(join(this.outDir, "model-worker.js"), [], {
      execPath: process.execPath,
      env: { ...process.env, ELECTRON_RUN_AS_NODE: "1" },
      stdio: ["ignore", "ignore", "pipe", "ipc"],
    });
    let stderr = "";
    worker.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    worker.on("message", (message: WorkerResponse) => {
      this.pending.get(message.id)?.resolve(message);
      this.pending.delete(message.id);
    });
    worker.on("exit", (code, signal) => {
      const error = new Error(`The model process stopped (${signal ?? `exit code ${code}`})${stderr ? `: ${stderr.trim()}` : ""}`);
      for (const p of this.pending.values()) p.reject(error);
      this.pending.clear();
      if (this.worker === worker) this.worker = undefined;
    });
    this.worker = worker;
    return worker;
  }

  dispose(): void {
    this.worker?.kill();
    this.worker = undefined;
  }
}
