import type { ExtensionToWebview, RowView, TrainingReport, WebviewState, WebviewToExtension } from "../src/protocol/webview";
import { badge, divider, tag, textElement } from "./components";
import { renderTraining, renderTrainingError } from "./trainingView";

interface VsCodeApi {
  postMessage(message: WebviewToExtension): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById("root") as HTMLElement;
let state: WebviewState = vscode.getState() ?? {};
let currentRow: RowView | undefined;
const trainingSlot = textElement("div", "", "training-slot");

function renderRow(row: RowView): void {
  currentRow = row;
  const header = textElement("header", "", "row-header");
  header.append(textElement("span", `Line ${row.line + 1}`, "row-line"), tag(row.formatLabel), badge(`${row.characters.toLocaleString("en-US")} chars`));
  const body: HTMLElement[] = [header];
  for (const error of row.syntaxErrors) body.push(textElement("p", error, "syntax-error"));
  // A row with syntax errors is not rendered (the extension sends no training view for it).
  const pending = row.conversation ? "Rendering with the chat template…" : "Tokenizing…";
  trainingSlot.replaceChildren(...(row.syntaxErrors.length > 0 ? [] : [textElement("p", pending, "pending")]));
  body.push(trainingSlot, textElement("h2", "Fields"));
  for (const part of row.parts) {
    const section = textElement("section", "", `part role-${part.role.replace(/[^a-z_-]/gi, "")}`);
    section.append(textElement("h3", part.role), textElement("pre", part.text));
    body.push(section, divider());
  }
  root.replaceChildren(...body);
  report();
}

function showTraining(saved: NonNullable<WebviewState["lastTraining"]>): void {
  if (!currentRow || currentRow.uri !== saved.uri || currentRow.line !== saved.line) return;
  const drawn = saved.training ? renderTraining(saved.training) : renderTrainingError(saved.error ?? "");
  trainingSlot.replaceChildren(drawn.element);
  report(drawn.report);
}

function report(training?: TrainingReport): void {
  vscode.postMessage({
    type: "rendered",
    report: {
      uri: currentRow?.uri ?? null,
      line: currentRow?.line ?? null,
      partCount: currentRow?.parts.length ?? 0,
      text: (root.textContent ?? "").slice(0, 4000),
      scriptElements: root.querySelectorAll("script").length,
      imageElements: root.querySelectorAll("img").length,
      training,
    },
  });
}

function renderEmpty(reason: string): void {
  currentRow = undefined;
  root.replaceChildren(textElement("p", reason, "empty"));
  report();
}

window.addEventListener("message", (event: MessageEvent<ExtensionToWebview>) => {
  const message = event.data;
  if (message.type === "showRow") {
    state = { lastRow: message.row };
    renderRow(message.row);
  } else if (message.type === "showTraining" || message.type === "showTrainingError") {
    const saved =
      message.type === "showTraining"
        ? { uri: message.uri, line: message.line, training: message.training }
        : { uri: message.uri, line: message.line, error: message.message };
    state = { ...state, lastTraining: saved };
    showTraining(saved);
  } else if (message.type === "showEmpty") {
    state = {};
    renderEmpty(message.reason);
  }
  vscode.setState(state);
});

if (state.lastRow) {
  renderRow(state.lastRow);
  if (state.lastTraining) showTraining(state.lastTraining);
} else renderEmpty("Open a .jsonl dataset and place the cursor on a row.");
vscode.postMessage({ type: "ready" });
