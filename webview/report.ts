// A report page: Markdown rendered with markdown-it (raw HTML in it shown as text, never run),
// links to rows that open them in the editor, tables of rows that sort by any column, and a
// critique's scores to filter by.
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

/** Columns whose values a reader picks from (a critique's score): one toggle per value, with its count. */
const filterableColumn = /^score$/i;
const filters = new Map<string, (values: number[]) => number>();

function makeFilterable(table: HTMLTableElement): string[] {
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead?.rows[0]?.cells ?? []);
  const columns: string[] = [];
  headers.forEach((header, column) => {
    const name = (header.textContent ?? "").trim();
    if (!body || !filterableColumn.test(name)) return;
    const valueOf = (row: HTMLTableRowElement) => numberOf(row.cells[column]?.textContent ?? "");
    const counts = new Map<number, number>();
    for (const row of Array.from(body.rows)) {
      const value = valueOf(row);
      if (value !== undefined) counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    if (counts.size < 2) return;
    const chosen = new Set<number>();
    const bar = document.createElement("div");
    bar.className = "filters";
    bar.setAttribute("role", "group");
    bar.append(`Show ${name.toLowerCase()}: `);
    const buttons = new Map<number, HTMLButtonElement>();
    const apply = (values: number[]) => {
      chosen.clear();
      values.forEach((v) => chosen.add(v));
      let visible = 0;
      for (const row of Array.from(body.rows)) {
        const value = valueOf(row);
        row.hidden = chosen.size > 0 && (value === undefined || !chosen.has(value));
        if (!row.hidden) visible++;
      }
      for (const [value, button] of buttons) button.setAttribute("aria-pressed", String(chosen.has(value)));
      vscode.postMessage({ type: "filtered", column: name, values: [...chosen], visibleRows: visible });
      return visible;
    };
    for (const value of [...counts.keys()].sort((a, b) => a - b)) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${value} (${counts.get(value)})`;
      button.title = `Show only the rows with ${name.toLowerCase()} ${value} (with others picked: those too)`;
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => apply(chosen.has(value) ? [...chosen].filter((v) => v !== value) : [...chosen, value]));
      buttons.set(value, button);
      bar.append(button);
    }
    table.before(bar);
    filters.set(name, apply);
    columns.push(name);
  });
  return columns;
}

function show(text: string): void {
  root.innerHTML = markdown.render(text);
  filters.clear();
  const tables = Array.from(root.querySelectorAll("table"));
  const sortable = tables.filter(makeSortable).length;
  const filterColumns = tables.flatMap(makeFilterable);
  const rowLinks = Array.from(root.querySelectorAll("a")).filter((a) => /^#L\d+$/.test(a.getAttribute("href") ?? "")).length;
  vscode.postMessage({
    type: "rendered",
    tables: tables.length,
    sortableTables: sortable,
    rowLinks,
    text: (root.textContent ?? "").slice(0, 4000),
    filterColumns,
  });
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
  else if (event.data.type === "filter") filters.get(event.data.column)?.(event.data.values);
});
vscode.postMessage({ type: "ready" });
