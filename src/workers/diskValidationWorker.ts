// A worker thread that validates a dataset on disk with the CLI's streaming validator.
import { parentPort, workerData } from "node:worker_threads";
import { fileLayout } from "../core/jsonArray/arrayDetection";
import { ArrayItem, readArrayElementBatches } from "../core/jsonArray/arrayElements";
import { readJsonDocument } from "../core/jsonArray/jsonDocument";
import { validateArrayItems } from "../core/jsonArray/validateArray";
import { readLineBatches, ReadLine } from "../core/jsonl/lineReader";
import type { Diagnostic } from "../core/lint/diagnostic";
import { FormatSample, validateLineBatches } from "../core/validate/streamValidator";
import type { DiskValidationJob, DiskValidationMessage } from "../protocol/diskValidation";
import type { LintChunk } from "../protocol/lintWorker";
import { fileChunks } from "../cli/fileChunks";
import { lintInParallel, lintsInParallel, lintThreads, validateRowsInParallel } from "../cli/parallelLint";

const post = (message: DiskValidationMessage) => parentPort?.postMessage(message);
const stop = new AbortController();
parentPort?.on("message", (message: "stop") => message === "stop" && stop.abort());

/** Rows read up to the end of a batch: a JSON Lines file's last line number, or an array's last element's. */
const linesUpTo = (batch: readonly ReadLine[]) => batch[batch.length - 1].lineNumber;
const elementsUpTo = (batch: readonly ArrayItem[]) => {
  for (let i = batch.length - 1; i >= 0; i--) {
    const item = batch[i];
    if (item.kind === "element") return item.ordinal + 1;
  }
  return undefined;
};

async function run({ file, options, keep }: DiskValidationJob): Promise<void> {
  // Read as the CLI reads it: a JSON array of rows (Alpaca's and LLaMA-Factory's files) element by
  // element, one object over many lines (dataset_info.json, a task file) for its syntax only,
  // anything else line by line. Read by lines, an indented array is a syntax error a line.
  const layout = fileLayout(file);
  if (layout === "document") {
    const { bytes, findings } = readJsonDocument(file);
    const found = findings ?? [];
    post({
      type: "done",
      lines: 0,
      bytesRead: bytes,
      problems: found.length,
      kept: found.slice(0, keep),
      cancelled: false,
      document: { read: findings !== undefined },
    });
    return;
  }
  let bytesRead = 0;
  let lines = 0;
  let problems = 0;
  let lastProgress = 0;
  const array = layout === "array";
  const progressed = () => {
    if (performance.now() - lastProgress <= 100) return;
    lastProgress = performance.now();
    post({ type: "progress", bytesRead, lines, problems });
  };
  // A large file is validated on every core, as `lint` does it, with the same findings.
  const threads = lintsInParallel(file, options) ? lintThreads() : 1;
  // A batch at a time (what each read ends), as the CLI reads: awaiting once a line through each
  // stage was 3.5% of a 50 MB lint.
  async function* counted<T>(batches: AsyncIterable<T[]>, rowsUpTo: (batch: T[]) => number | undefined): AsyncGenerator<T[]> {
    for await (const batch of batches) {
      if (stop.signal.aborted) return;
      lines = rowsUpTo(batch) ?? lines;
      progressed();
      yield batch;
    }
  }
  /** The file's bytes as the CLI reads them (fileChunks), counted for the progress shown. */
  async function* countedBytes(): AsyncGenerator<Uint8Array> {
    for await (const chunk of fileChunks(file)) {
      bytesRead += chunk.length;
      yield chunk;
    }
  }
  // Ended with the validation, however it ends, which closes the file: a validator that fails
  // leaves the reads it stopped asking from as they are, and the extension host keeps open files.
  let bytes: AsyncGenerator<Uint8Array> | undefined;
  const read = () => (bytes = countedBytes());
  const kept: Diagnostic[] = [];
  let sample: FormatSample = {};
  const onSample = (s: FormatSample) => (sample = s);
  const validated = (): AsyncIterable<Diagnostic> => {
    if (array)
      return validateArrayItems(
        counted(readArrayElementBatches(read()), elementsUpTo),
        options,
        onSample,
        threads > 1 ? validateRowsInParallel(file) : undefined,
      );
    if (threads === 1) return validateLineBatches(counted(readLineBatches(read()), linesUpTo), options, onSample);
    // The threads read their own chunks of the file: progress comes as each chunk is compared.
    const onCompared = (compared: number, chunk: LintChunk) => {
      lines = compared;
      bytesRead = chunk.end;
      progressed();
    };
    return lintInParallel(file, options, undefined, { onSample, onCompared, signal: stop.signal });
  };
  const findings = validated();
  try {
    for await (const d of findings) {
      if (stop.signal.aborted) break;
      problems++;
      if (kept.length < keep) kept.push(d);
    }
  } finally {
    await bytes?.return(undefined);
  }
  post({ type: "done", format: sample.format, lines, bytesRead, problems, kept, cancelled: stop.signal.aborted, array, threads });
}

run(workerData as DiskValidationJob).catch((error: unknown) => post({ type: "error", message: error instanceof Error ? error.message : String(error) }));
