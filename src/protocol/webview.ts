// The one message protocol between the extension (src/) and the preview webview (webview/).
// Both sides import these types; nothing else crosses the boundary.
import type { DatasetReport } from "../core/budget/datasetReport";
import type { RowPart } from "../core/formats/summary";
import type { RowPreview } from "../core/training/rowPreview";

export interface RowView {
  uri: string;
  /** 0-based line of the row in its document. */
  line: number;
  formatLabel: string;
  characters: number;
  parts: RowPart[];
  /** Syntax problems of the row, when it is not valid JSON. */
  syntaxErrors: string[];
  /** A conversation goes through the chat template; other rows (Alpaca, completion) through their prompt format only. */
  conversation: boolean;
}

/** The training view of a row: its rendering, tokens and masks (see core/training). */
export type TrainingPanelView = RowPreview;

export type ExtensionToWebview =
  | { type: "showRow"; row: RowView }
  /** Follows showRow once the worker has rendered the same row. */
  | { type: "showTraining"; uri: string; line: number; training: TrainingPanelView }
  | { type: "showTrainingError"; uri: string; line: number; message: string }
  | { type: "showEmpty"; reason: string };

export type WebviewToExtension =
  | { type: "ready" }
  /** Sent after every render, so the host (and its tests) know what the panel displays. */
  | { type: "rendered"; report: RenderedReport };

/** What the panel displays after a render: the host (and its tests) check it against the row. */
export interface RenderedReport {
  /** The document of the row shown. */
  uri: string | null;
  line: number | null;
  partCount: number;
  /** The panel's visible text, cut to its first 4,000 characters. */
  text: string;
  /** Elements the panel's own markup does not create; dataset text must never add any. */
  scriptElements: number;
  imageElements: number;
  training?: TrainingReport;
}

export interface TrainingReport {
  /** Token elements drawn, trained ones among them. */
  tokenElements: number;
  trainedElements: number;
  /** The hover text of the first token element. */
  firstTokenTitle: string;
  /** The figures as the panel prints them. */
  figures: string;
  overLimit: boolean;
  approximate: boolean;
  warnings: string[];
  error?: string;
}

/** State the webview keeps across reloads with getState/setState. */
export interface WebviewState {
  lastRow?: RowView;
  lastTraining?: { uri: string; line: number; training?: TrainingPanelView; error?: string };
}

// The Dataset view (training budget): its own webview panel, fed by the budget worker.

export type BudgetToWebview =
  | { type: "budgetRunning"; files: string[]; gpus: number }
  | { type: "budgetProgress"; bytesDone: number; bytesTotal: number; rows: number }
  | { type: "budgetReport"; report: DatasetReport; seconds: number; gpus: number }
  | { type: "budgetCancelled" }
  | { type: "budgetError"; message: string }
  /** Asks the view to export a plot, as its SVG and PNG buttons do. */
  | { type: "budgetRequestExport"; plot: "tokens-per-row" | "optimizer-steps"; format: "svg" | "png" };

export type BudgetFromWebview =
  | { type: "budgetReady" }
  | { type: "budgetCancel" }
  | { type: "budgetRerun" }
  | { type: "budgetSetGpus"; gpus: number }
  /** Opens a row of the dataset (an over-limit or duplicate row). */
  | { type: "budgetOpenRow"; file: string; line: number }
  /** A plot to save: SVG markup, or a PNG as base64. */
  | { type: "budgetExport"; plot: string; format: "svg" | "png"; data: string }
  | { type: "budgetRendered"; rendered: BudgetRendered };

/** What the Dataset view drew, for the host and its tests. */
export interface BudgetRendered {
  state: "running" | "report" | "cancelled" | "error" | "empty";
  /** The view's visible text, cut to its first 6,000 characters. */
  text: string;
  histogramBars: number;
  /** The x position (in plot units) of the sequence_len marker, when drawn. */
  limitMarker: boolean;
  stepBars: number;
  overLimitLinks: number;
  /** While running: the rows the progress bar last showed as read. */
  progressRows?: number;
  scriptElements: number;
  imageElements: number;
}
