import { join } from "node:path";
import { WorkerProcess } from "../workers/workerProcess";
import type { DatasetReport } from "../core/budget/datasetReport";
import { BudgetJob, BudgetRequest, BudgetResponse, isBudgetEvent } from "../protocol/budgetWorker";

export type BudgetResult =
  | { kind: "report"; report: DatasetReport; seconds: number; measuredRows: number }
  | { kind: "cancelled" }
  /** A newer run replaced this one. */
  | { kind: "superseded" }
  | { kind: "error"; message: string };

/**
 * A worker that sends nothing for this long is hung and is restarted: progress goes out every
 * 200 ms, so only one row taking this long does it (a template that loops; the preview stops
 * such a row after its own timeout, 10 s by default).
 */
const inactivityMs = 60_000;

/**
 * Runs training-budget jobs in the budget worker process, one at a time: a new job (the user
 * typed again) cancels the one in flight. The worker keeps its tokenizer and each open
 * document's row measures between jobs, so following edits re-measures only changed rows.
 */
export class BudgetHost {
  private readonly process: WorkerProcess<BudgetRequest, BudgetResponse>;
  private current: { id?: number; superseded: boolean } | undefined;

  constructor(outDir: string) {
    // Measures of a 50 MB document and the report's row list fit well in 2 GB; a hostile template's do not, and fail there.
    this.process = new WorkerProcess(join(outDir, "budget-worker.js"), "training budget", 2048, isBudgetEvent);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  async run(job: BudgetJob, onProgress: (p: { bytesDone: number; bytesTotal: number; rows: number }) => void): Promise<BudgetResult> {
    if (this.current) {
      this.current.superseded = true;
      this.cancel();
    }
    const run: { id?: number; superseded: boolean } = { superseded: false };
    this.current = run;
    try {
      const response = await this.process.request(
        { type: "budget", ...job },
        {
          inactivityMs,
          onSent: (id) => (run.id = id),
          onEvent: (event) => event.type === "progress" && !run.superseded && onProgress(event),
        },
      );
      if (run.superseded) return { kind: "superseded" };
      if (response.type === "report") return { kind: "report", report: response.report, seconds: response.seconds, measuredRows: response.measuredRows };
      if (response.type === "cancelled") return { kind: "cancelled" };
      return { kind: "error", message: response.type === "error" ? response.message : `unexpected answer: ${response.type}` };
    } catch (error) {
      return run.superseded ? { kind: "superseded" } : { kind: "error", message: (error as Error).message };
    } finally {
      if (this.current === run) this.current = undefined;
    }
  }

  cancel(): void {
    const id = this.current?.id;
    if (id !== undefined) this.process.notify({ type: "cancel", target: id });
  }

  dispose(): void {
    this.process.dispose();
  }
}
