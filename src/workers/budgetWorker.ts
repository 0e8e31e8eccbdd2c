// Runs in its own Node process: measures whole datasets for the training budget (the Dataset
// view's reports, and parts of large files for another budget process), so reading a 1 GB file
// and rendering every row never touches the extension host.
import type { LineMeasure } from "../core/budget/datasetTally";
import { BudgetCancelled } from "../core/budget/tallyLines";
import type { BudgetRequest, BudgetResponse, BudgetSources } from "../protocol/budgetWorker";
import { statSync } from "node:fs";
import { loadMeasurer, measureRange, Measurer, RunOptions, runBudget, sampleLines, withDatasetInfo } from "./budgetRunner";

const reply = (message: BudgetResponse) => process.send?.(message);
const cancelled = new Set<number>();
const textCaches = new Map<string, Map<string, LineMeasure>>();
const fileCaches: NonNullable<RunOptions["fileCaches"]> = new Map();

/** The last run's tokenizer, kept while its sources and files stay the same (an edited document re-runs often). */
let loaded: { key: string; measurer: Promise<{ measurer: Measurer; dispose: () => Promise<void> }> } | undefined;

async function measurer(sources: BudgetSources, samples: () => string[]): Promise<Measurer> {
  const path = sources.tokenizerPath;
  // A part of a file comes with that file's dataset_info.json entry: the same tokenizer serves every entry.
  const { datasetInfo, ...shared } = sources;
  const key = JSON.stringify([shared, path ? statSync(path, { throwIfNoEntry: false })?.mtimeMs : 0]);
  if (loaded?.key !== key) {
    const previous = loaded;
    loaded = { key, measurer: loadMeasurer(sources, samples()) };
    // Measures taken with other sources are wrong now.
    textCaches.clear();
    fileCaches.clear();
    void previous?.measurer.then(
      (m) => m.dispose(),
      () => undefined,
    );
  }
  try {
    return withDatasetInfo((await loaded.measurer).measurer, datasetInfo);
  } catch (error) {
    loaded = undefined;
    throw error;
  }
}

async function handle(request: BudgetRequest): Promise<BudgetResponse | undefined> {
  const { id } = request;
  const isCancelled = () => cancelled.has(id);
  const onProgress = (p: { bytesDone: number; bytesTotal: number; rows: number }) => reply({ id, type: "progress", ...p });
  if (request.type === "cancel") {
    cancelled.add(request.target);
    return undefined;
  }
  if (request.type === "measureRange") {
    const { tally, lines } = await measureRange(request.file, request.start, request.end, await measurer(request.sources, () => []), {
      onProgress,
      isCancelled,
    });
    return { id, type: "tally", tally, lines };
  }
  const started = performance.now();
  // Caches are kept for the files of this request only: a closed document's go.
  for (const file of textCaches.keys()) if (request.texts?.[file] === undefined) textCaches.delete(file);
  for (const file of fileCaches.keys()) if (!request.files.includes(file)) fileCaches.delete(file);
  const first = request.files[0];
  const counters = { measured: 0 };
  const report = await runBudget(request, await measurer(request.sources, () => sampleLines(first, request.texts?.[first])), {
    onProgress,
    isCancelled,
    shardScript: __filename,
    textCaches,
    fileCaches,
    counters,
  });
  return { id, type: "report", report, seconds: (performance.now() - started) / 1000, measuredRows: counters.measured };
}

process.on("message", (request: BudgetRequest) => {
  handle(request)
    .then(
      (response) => response && reply(response),
      (error: unknown) =>
        reply(
          error instanceof BudgetCancelled
            ? { id: request.id, type: "cancelled" }
            : { id: request.id, type: "error", message: error instanceof Error ? error.message : String(error) },
        ),
    )
    .finally(() => cancelled.delete(request.id));
});
