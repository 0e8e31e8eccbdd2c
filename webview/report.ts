// A report page: Markdown rendered with markdown-it (raw HTML in it shown as text, never run),
// links to rows that open them in the editor, and tables of rows that sort by any column.
import MarkdownIt from "markdown-it";
import type { ReportToWebview, WebviewToReport } from "../src/protocol/reportView";

interface VsCodeApi {
  postMessage(message: WebviewToReport): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("root") as HTMLElement;
const markdown = new MarkdownIt({ html: false, linkify: false });

const numberOf = (text: string) => (/^\s*-?[\d,]*\.?\d+\s*(\/\s*\d+)?\s*$/.test(text) ? Number.parseFloat(text.replace(/,/g, "")) : undefined);

/** Sorts a table's body by one column: numbers as numbers, the rest as text; again reverses. */
function makeSortable(table: HTMLTableElement): boolean {
  const body = table.tBodies[0];
  const headerRow = table.tHead?.rows[0];
  const headers = headerRow ? Array.from(headerRow.cells) : [];
  if (!body || body.rows.length < 2 || headers.length === 0) return false;
  headers.forEach((header, column) => {
    header.tabIndex = 0;
    header.classList.add("sortable");
    header.title = "Sort by this column";
    const sort = () => {
      const ascending = header.getAttribute("aria-sort") !== "ascending";
      for (const other of headers) other.removeAttribute("aria-sort");
      header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const rows = Array.from(body.rows);
      const key = (row: HTMLTableRowElement) => row.cells[column]?.textContent ?? "";
      const numeric = rows.every((row) => numberOf(key(row)) !== undefined);
      rows.sort((a, b) => {
        const order = numeric ? numberOf(key(a))! - numberOf(key(b))! : key(a).localeCompare(key(b));
        return ascending ? order : -order;
      });
      body.append(...rows);
    };
    header.addEventListener("click", sort);
    header.addEventListener("keydown", (event: KeyboardEvent) => (event.key === "Enter" || event.key === " ") && sort());
  });
  return true;
}

function show(text: string): void {
  root.innerHTML = markdown.render(text);
  const tables = Array.from(root.querySelectorAll("table"));
  const sortable = tables.filter(makeSortable).length;
  const rowLinks = Array.from(root.querySelectorAll("a")).filter((a) => /^#L\d+$/.test(a.getAttribute("href") ?? "")).length;
  vscode.postMessage({ type: "rendered", tables: tables.length, sortableTables: sortable, rowLinks, text: (root.textContent ?? "").slice(0, 4000) });
}

root.addEventListener("click", (event) => {
  const link = (event.target as HTMLElement).closest("a");
  if (!link) return;
  event.preventDefault();
  const row = /^#L(\d+)$/.exec(link.getAttribute("href") ?? "");
  if (row) vscode.postMessage({ type: "openRow", line: Number(row[1]) });
});

window.addEventListener("message", (event: MessageEvent<ReportToWebview>) => {
  if (event.data.type === "show") show(event.data.markdown);
});
vscode.postMessage({ type: "ready" });
