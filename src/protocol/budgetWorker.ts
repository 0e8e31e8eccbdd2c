import type { DatasetInfoEntry } from "../core/config/datasetInfo";
// Messages to and from out/budget-worker.js, which measures whole datasets for the training
// budget: the extension's Dataset view asks it for a report, and a report's runner (the worker
// itself, or the CLI's `stats`) asks further copies of it for parts of a large file.
import type { DatasetReport } from "../core/budget/datasetReport";
import type { FileTally } from "../core/budget/datasetTally";
import type { TrainingConfig } from "../core/config/trainingConfig";
import type { TrainingSettings } from "../core/training/trainingSettings";
import type { TemplateContext } from "./previewWorker";

/** What rows are measured with: the preview's tokenizer, template, config and settings. */
export interface BudgetSources extends TemplateContext {
  tokenizerPath?: string;
  template?: string;
  config?: TrainingConfig;
  settings?: Partial<TrainingSettings>;
  /** The vocabulary GGUF the run counts with (set by the run for its other processes). */
  vocabulary?: string;
  /** Each file's LLaMA-Factory dataset_info.json entry, by path: the view reads every file by its own (none: by its keys). */
  datasetInfoByFile?: Record<string, DatasetInfoEntry | undefined>;
}

export interface BudgetJob {
  files: string[];
  /** Open documents' unsaved text by file path: measured from the text, not the disk. */
  texts?: Record<string, string>;
  sources: BudgetSources;
  gpus: number;
}

export type BudgetRequest =
  | ({ id: number; type: "budget" } & BudgetJob)
  /** Stops the budget request `target`; it answers "cancelled". */
  | { id: number; type: "cancel"; target: number }
  /** A part of a file, from byte `start` (a line's first byte) to `end` (exclusive, after a line break). */
  | { id: number; type: "measureRange"; file: string; start: number; end: number; sources: BudgetSources };

export type BudgetResponse =
  | { id: number; type: "progress"; bytesDone: number; bytesTotal: number; rows: number }
  /** `measuredRows`: rows measured anew in the worker's own process (the rest came from its caches or other processes). */
  | { id: number; type: "report"; report: DatasetReport; seconds: number; measuredRows: number }
  /** Line numbers in `tally` count from the range's first line (1). */
  | { id: number; type: "tally"; tally: FileTally; lines: number }
  | { id: number; type: "cancelled" }
  | { id: number; type: "error"; message: string };

export const isBudgetEvent = (message: BudgetResponse): boolean => message.type === "progress";
