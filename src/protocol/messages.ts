// The one message protocol between the extension (src/) and the preview webview (webview/).
// Both sides import these types; nothing else crosses the boundary.
import type { RowPart } from "../core/formats/summary";

export interface RowView {
  uri: string;
  /** 0-based line of the row in its document. */
  line: number;
  formatLabel: string;
  characters: number;
  parts: RowPart[];
  /** Syntax problems of the row, when it is not valid JSON. */
  syntaxErrors: string[];
}

export type ExtensionToWebview =
  | { type: "showRow"; row: RowView }
  | { type: "showEmpty"; reason: string };

export type WebviewToExtension =
  | { type: "ready" }
  /** Sent after every render, so the host (and its tests) know what the panel displays. */
  | { type: "rendered"; report: RenderedReport };

/** What the panel displays after a render: the host (and its tests) check it against the row. */
export interface RenderedReport {
  line: number | null;
  partCount: number;
  /** The panel's visible text, cut to its first 4,000 characters. */
  text: string;
  /** Elements the panel's own markup does not create; dataset text must never add any. */
  scriptElements: number;
  imageElements: number;
}

/** State the webview keeps across reloads with getState/setState. */
export interface WebviewState {
  lastRow?: RowView;
}
