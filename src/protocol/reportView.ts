// The messages between a report panel (src/reports/) and its page (webview/report.ts).

export type ReportToWebview =
  | { type: "show"; markdown: string }
  /** Show only the rows whose `column` holds one of `values` (none: every row), as the page's buttons do. */
  | { type: "filter"; column: string; values: number[] };

export type WebviewToReport =
  | { type: "ready" }
  /** A link to a row of the report's dataset: `#L12` in the Markdown. */
  | { type: "openRow"; line: number }
  /** What the page drew, for the tests. */
  | { type: "rendered"; tables: number; sortableTables: number; rowLinks: number; text: string; filterColumns: string[] }
  /** After a filter: how many of the table's rows show. */
  | { type: "filtered"; column: string; values: number[]; visibleRows: number };
