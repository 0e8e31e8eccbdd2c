import * as vscode from "vscode";
import { webviewHtml } from "../preview/webviewHtml";
import type { ReportToWebview, WebviewToReport } from "../protocol/reportView";

export interface ReportRequest {
  title: string;
  markdown: string;
  /** The dataset whose rows `#L12` links open. */
  dataset?: vscode.Uri;
}

/** What a shown report drew: the command returns it, and the tests read it. */
export interface ShownReport {
  title: string;
  markdown: string;
  tables: number;
  sortableTables: number;
  rowLinks: number;
  text: string;
  /** Columns the page offers to filter by (a critique's Score). */
  filterColumns: string[];
  /** Filters the shown table as the page's buttons do; resolves with the rows left showing. */
  filter(column: string, values: number[]): Promise<number>;
}

/**
 * Shows a Markdown report rendered in a webview tab of the active group: no Untitled file, so
 * closing it asks nothing; row links open the dataset at the row; tables of rows sort by column.
 */
export function showReportPanel(extensionUri: vscode.Uri, request: ReportRequest): Promise<ShownReport> {
  const outUri = vscode.Uri.joinPath(extensionUri, "out");
  const panel = vscode.window.createWebviewPanel("instructStudio.report", request.title, vscode.ViewColumn.Active, {
    enableScripts: true,
    localResourceRoots: [outUri],
    enableFindWidget: true,
  });
  panel.webview.html = webviewHtml(panel.webview, outUri, { script: "report-webview.js", title: request.title, bodyClass: "report" });
  const filtered: Array<(visibleRows: number) => void> = [];
  const filter = (column: string, values: number[]) =>
    new Promise<number>((resolve) => {
      filtered.push(resolve);
      void panel.webview.postMessage({ type: "filter", column, values } satisfies ReportToWebview);
    });
  return new Promise((resolve) => {
    // A tab closed before its page drew ends the command with an empty report, not never.
    panel.onDidDispose(() =>
      resolve({
        title: request.title,
        markdown: request.markdown,
        tables: 0,
        sortableTables: 0,
        rowLinks: 0,
        text: "",
        filterColumns: [],
        filter: async () => 0,
      }),
    );
    panel.webview.onDidReceiveMessage((message: WebviewToReport) => {
      if (message.type === "ready") void panel.webview.postMessage({ type: "show", markdown: request.markdown } satisfies ReportToWebview);
      else if (message.type === "rendered")
        resolve({
          title: request.title,
          markdown: request.markdown,
          tables: message.tables,
          sortableTables: message.sortableTables,
          rowLinks: message.rowLinks,
          text: message.text,
          filterColumns: message.filterColumns,
          filter,
        });
      else if (message.type === "filtered") filtered.shift()?.(message.visibleRows);
      else if (message.type === "openRow" && request.dataset) void openRow(request.dataset, message.line);
    });
  });
}

/** Opens the dataset at a 1-based line, in the group that already shows it if one does. */
async function openRow(dataset: vscode.Uri, line: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === dataset.toString());
  try {
    const editor = await vscode.window.showTextDocument(dataset, {
      viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Active,
      selection: new vscode.Range(position, position),
    });
    editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
  } catch (error) {
    void vscode.window.showWarningMessage(`Cannot open ${dataset.fsPath} at line ${line}: ${(error as Error).message}`);
  }
}
