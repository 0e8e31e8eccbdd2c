import { setMaxListeners } from "node:events";
import { critiqueResultLine, CritiqueTarget } from "../core/batch/critiqueRows";
import { critiqueRows } from "../core/batch/critiqueRun";
import { ModelBackend, ModelError } from "../core/model/backend";
import { critiqueTargets, LineRange } from "./critiqueTargets";
import { escapeControls, write } from "./output";
import { ProgressLine } from "./progressLine";
import { ResultsFile } from "./resultsFile";
import { stopOnSignals } from "./stopOnSignals";
import { RetryPolicy } from "../core/model/retryPolicy";

export interface FileRunOptions {
  range: LineRange;
  concurrency: number;
  out?: string;
  json?: boolean;
  policy: RetryPolicy;
}

/** Where results go: the results file (resumable), else standard output. */
interface ResultsSink {
  judged: Set<string>;
  append(line: string): void;
  close(): Promise<void>;
}

function resultsSink(out: string | undefined): ResultsSink {
  if (out) {
    const file = ResultsFile.open(out);
    return { judged: file.judged, append: (line) => file.append(line), close: async () => file.close() };
  }
  let pending = Promise.resolve();
  return { judged: new Set(), append: (line) => void (pending = pending.then(() => write(`${line}\n`))), close: () => pending };
}

/** A failing server is not asked for thousands more rows: this many failures in a row stop the run. */
const failuresInARowThatStop = (concurrency: number) => Math.max(10, 2 * concurrency);

interface RunTally {
  judged: number;
  failed: Array<{ row: CritiqueTarget; error: unknown }>;
  interrupted: boolean;
  /** The server error that stopped the run, when it failed row after row. */
  stoppedBy?: unknown;
}

async function judge(file: string, backend: ModelBackend, todo: CritiqueTarget[], sink: ResultsSink, options: FileRunOptions): Promise<RunTally> {
  const tally: RunTally = { judged: 0, failed: [], interrupted: false };
  const progress = new ProgressLine(todo.length);
  const controller = new AbortController();
  // Every request in flight (and each retry's wait) listens for the stop.
  setMaxListeners(2 * options.concurrency + 16, controller.signal);
  const restoreSignals = stopOnSignals("critique", controller, () => progress.clear());
  let failuresInARow = 0;
  try {
    await critiqueRows(backend, todo, {
      concurrency: options.concurrency,
      policy: options.policy,
      signal: controller.signal,
      onResult: (rows, critique) => {
        failuresInARow = 0;
        for (const row of rows) sink.append(critiqueResultLine(row.line, row.hash, critique));
        tally.judged += rows.length;
        progress.update(tally.judged + tally.failed.length, tally.failed.length);
      },
      onFailed: (rows, error) => {
        for (const row of rows) tally.failed.push({ row, error });
        progress.update(tally.judged + tally.failed.length, tally.failed.length);
        const serverDown = error instanceof ModelError && (error.kind === "server" || error.kind === "hung" || error.kind === "crashed");
        failuresInARow = serverDown ? failuresInARow + 1 : 0;
        if (failuresInARow >= failuresInARowThatStop(options.concurrency) && !controller.signal.aborted) {
          tally.stoppedBy = error;
          controller.abort(new ModelError("Cancelled.", "cancelled"));
        }
      },
      onRetry: (rows, error, attempt, delayMs) => {
        progress.clear();
        process.stderr.write(`${file}:${rows[0].line}: ${escapeControls((error as Error).message)}; try ${attempt + 1} in ${(delayMs / 1000).toFixed(1)} s\n`);
      },
    });
  } finally {
    restoreSignals();
    progress.clear();
  }
  tally.interrupted = controller.signal.aborted && tally.stoppedBy === undefined;
  return tally;
}

/**
 * `critique <file>` without `--line`: every row (or `--lines`), concurrently, resumably. Exit 0
 * when every requested row has a result, 1 when some have none (each named on stderr), 2 when
 * the model could not be used (it failed row after row).
 */
export async function critiqueWholeFile(file: string, backend: ModelBackend, options: FileRunOptions): Promise<number> {
  const { targets, skipped } = await critiqueTargets(file, options.range);
  const sink = resultsSink(options.out);
  try {
    const todo = targets.filter((t) => !sink.judged.has(t.hash));
    const resumed = targets.length - todo.length;
    for (const row of skipped) process.stderr.write(`${file}:${row.line}: ${row.reason}; not critiqued\n`);
    if (resumed > 0)
      process.stderr.write(
        `${resumed.toLocaleString("en-US")} of ${targets.length.toLocaleString("en-US")} rows already have a result in ${options.out}; critiquing the other ${todo.length.toLocaleString("en-US")}\n`,
      );
    if (todo.length > 0) await backend.prepare();
    const tally = todo.length > 0 ? await judge(file, backend, todo, sink, options) : { judged: 0, failed: [], interrupted: false };
    for (const { row, error } of tally.failed)
      process.stderr.write(`${file}:${row.line}: failed: ${escapeControls(error instanceof Error ? error.message : String(error))}\n`);
    const missing = todo.length - tally.judged - tally.failed.length;
    const summary = {
      requested: targets.length + skipped.length,
      judged: tally.judged,
      alreadyJudged: resumed,
      failed: tally.failed.map((f) => f.row.line),
      skipped: skipped.map((s) => s.line),
      notRun: missing,
      interrupted: tally.interrupted,
    };
    const parts = [`${tally.judged.toLocaleString("en-US")} critiqued`];
    if (resumed) parts.push(`${resumed.toLocaleString("en-US")} already had a result`);
    if (tally.failed.length) parts.push(`${tally.failed.length.toLocaleString("en-US")} failed`);
    if (skipped.length) parts.push(`${skipped.length.toLocaleString("en-US")} not instruction rows`);
    if (missing) parts.push(`${missing.toLocaleString("en-US")} not run`);
    const rerun =
      options.out && (missing > 0 || tally.failed.length > 0)
        ? `; run the same command again to finish (rows with a result in ${options.out} are not asked again)`
        : "";
    process.stderr.write(`${tally.interrupted ? "interrupted: " : ""}${parts.join(", ")}${rerun}\n`);
    if (options.json && options.out) await write(`${JSON.stringify(summary)}\n`);
    if (tally.stoppedBy !== undefined) {
      const reason = tally.stoppedBy instanceof Error ? tally.stoppedBy.message : String(tally.stoppedBy);
      process.stderr.write(
        `instruct-studio critique: stopped: the model failed ${failuresInARowThatStop(options.concurrency)} rows in a row (the last: ${escapeControls(reason)})\n`,
      );
      return 2;
    }
    return missing > 0 || tally.failed.length > 0 || skipped.length > 0 ? 1 : 0;
  } finally {
    await sink.close();
  }
}
