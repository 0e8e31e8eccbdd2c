import type { ExtensionToWebview, RowView, WebviewState, WebviewToExtension } from "../src/protocol/messages";
import { badge, divider, tag, textElement } from "./components";

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("root") as HTMLElement;

function renderRow(row: RowView): void {
  const header = textElement("header", "", "row-header");
  header.append(textElement("span", `Line ${row.line + 1}`, "row-line"), tag(row.formatLabel), badge(`${row.characters.toLocaleString("en-US")} chars`));
  const body: HTMLElement[] = [header];
  for (const error of row.syntaxErrors) body.push(textElement("p", error, "syntax-error"));
  for (const part of row.parts) {
    const section = textElement("section", "", `part role-${part.role.replace(/[^a-z_-]/gi, "")}`);
    section.append(textElement("h3", part.role), textElement("pre", part.text));
    body.push(divider(), section);
  }
  root.replaceChildren(...body);
  report(row.line, row.parts.length);
}

function report(line: number | null, partCount: number): void {
  vscode.postMessage({
    type: "rendered",
    report: {
      line,
      partCount,
      text: (root.textContent ?? "").slice(0, 4000),
      scriptElements: root.querySelectorAll("script").length,
      imageElements: root.querySelectorAll("img").length,
    },
  });
}

function renderEmpty(reason: string): void {
  root.replaceChildren(textElement("p", reason, "empty"));
  report(null, 0);
}

window.addEventListener("message", (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  if (message.type === "showRow") {
    vscode.setState({ lastRow: message.row });
    renderRow(message.row);
  } else if (message.type === "showEmpty") {
    renderEmpty(message.reason);
  }
});

const saved = vscode.getState()?.lastRow;
if (saved) renderRow(saved);
else renderEmpty("Open a .jsonl dataset and place the cursor on a row.");
vscode.postMessage({ type: "ready" });
