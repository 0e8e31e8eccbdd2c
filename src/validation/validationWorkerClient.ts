import { join } from "node:path";
import { Worker } from "node:worker_threads";
import * as vscode from "vscode";
import type { DocumentNotice, DocumentQuery, QueryResults, WorkerReply } from "../protocol/documentValidation";

/** The worker's heap: a 50 MB document (the most VS Code hands to extensions) needs well under this. */
const heapMb = 4096;
/** Restarts allowed within `crashWindowMs`; past them validation stays off until settings change. */
const maxCrashes = 3;
const crashWindowMs = 60_000;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/**
 * The host's end of the document validation worker thread: notices go out in order, queries come
 * back as promises. When the thread dies (out of memory, a bug) every pending query is rejected,
 * `onRestart` fires, and the controller reopens its documents in a fresh thread.
 */
export class ValidationWorker implements vscode.Disposable {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private crashes: number[] = [];
  private disposed = false;
  private readonly replies = new vscode.EventEmitter<Exclude<WorkerReply, { type: "reply" }>>();
  private readonly restarted = new vscode.EventEmitter<string>();
  /** Drift, failure and "opened" notes from the worker. */
  readonly onNote = this.replies.event;
  /** The thread died and a new one runs: every document must be opened again. The reason is given. */
  readonly onRestart = this.restarted.event;
  /** Set when the thread died too often: validation is off and this says why. */
  stoppedBecause: string | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    private readonly script = join(__dirname, "document-worker.js"),
  ) {}

  get threadId(): number | undefined {
    return this.worker?.threadId;
  }

  notify(notice: DocumentNotice): void {
    this.ensure()?.postMessage(notice);
  }

  query<Q extends DocumentQuery>(query: Q): Promise<QueryResults[Q["type"]] | undefined> {
    const worker = this.ensure();
    if (!worker) return Promise.resolve(undefined);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ type: "query", id, query });
    });
  }

  /** Ends the thread as a crash would (tests of the restart). */
  async kill(): Promise<void> {
    await this.worker?.terminate();
  }

  /** Lets a stopped worker start again (new settings may have removed the cause). */
  allowRestart(): void {
    this.stoppedBecause = undefined;
    this.crashes = [];
  }

  private ensure(): Worker | undefined {
    if (this.disposed || this.stoppedBecause) return undefined;
    if (this.worker) return this.worker;
    const worker = new Worker(this.script, { resourceLimits: { maxOldGenerationSizeMb: heapMb } });
    this.worker = worker;
    let reason = "it stopped";
    worker.on("message", (reply: WorkerReply) => {
      if (reply.type !== "reply") return this.replies.fire(reply);
      const pending = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== undefined) pending?.reject(new Error(reply.error));
      else pending?.resolve(reply.result);
    });
    worker.on("error", (error) => (reason = error.message));
    worker.on("exit", (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const why = `the validation worker ended (${reason}, exit ${code})`;
      for (const p of this.pending.values()) p.reject(new Error(why));
      this.pending.clear();
      if (this.disposed) return;
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < crashWindowMs), now];
      if (this.crashes.length > maxCrashes) {
        this.stoppedBecause = `${why}, ${this.crashes.length} times in a minute`;
        this.log.error(`${this.stoppedBecause}; validation of open datasets is off until the settings change`);
      } else this.log.warn(`${why}; starting a new one`);
      this.restarted.fire(why);
    });
    return worker;
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.pending.values()) p.reject(new Error("validation stopped"));
    this.pending.clear();
    void this.worker?.terminate();
    this.replies.dispose();
    this.restarted.dispose();
  }
}
