import * as vscode from "vscode";
import { formatLabels } from "../core/formats/detect";
import { Critique } from "../core/generation/critique";
import { critiqueFromReply, critiqueRequest } from "../core/batch/critiqueRows";
import { defaultRetryPolicy, withRetries } from "../core/model/retryPolicy";
import { replaceValue, responseTarget, rewritePrompt } from "../core/generation/responseEdit";
import { isPlainObject, parseRow } from "../core/jsonl/parseRow";
import { Limiter } from "../core/model/limiter";
import { ModelBackend, ModelError } from "../core/model/backend";
import type { InstructStudio } from "../context";
import { rowText } from "../editor/rowAtCursor";
import { chatShape, rowTarget, RowTarget, tail } from "./modelJobs";
import { replaceRow, ReplaceOutcome } from "./safeEdits";
import { basename } from "node:path";
import { rowLink, tableCell } from "../core/report";
import { showReportPanel, ShownReport } from "../reports/reportPanel";

async function critiqueOne(
  backend: ModelBackend,
  text: string,
  format: RowTarget["format"],
  signal: AbortSignal,
  onText?: (chunk: string) => void,
): Promise<Critique> {
  const result = await backend.generate(critiqueRequest(text, formatLabels[format]), onText, signal);
  return critiqueFromReply(result.text, result.stopReason);
}

export async function critiqueEntry(studio: InstructStudio, args?: { uri?: string; line?: number }): Promise<Critique> {
  const target = await rowTarget(studio, args);
  const critique = await studio.models.use((backend) =>
    studio.jobs.run(`Critiquing line ${target.anchor.line + 1}`, (signal, report) => {
      let streamed = "";
      return critiqueOne(backend, target.anchor.text, target.format, signal, (chunk) => report(tail((streamed += chunk))));
    }),
  );
  studio.critiques.set(target.document, target.anchor, critique);
  announce(target.document, target.anchor.line, critique);
  return critique;
}

/** The score where the user looks: a notification whose Show opens the critique's hover at the row. */
function announce(document: vscode.TextDocument, line: number, critique: Critique): void {
  const rationale = critique.rationale.length > 140 ? `${critique.rationale.slice(0, 139)}…` : critique.rationale;
  const issues = critique.issues.length === 0 ? "" : ` (${critique.issues.length} issue${critique.issues.length === 1 ? "" : "s"})`;
  void vscode.window.showInformationMessage(`Critique of line ${line + 1}: ${critique.score}/5${issues}. ${rationale}`, "Show").then(async (pick) => {
    if (pick !== "Show") return;
    const position = new vscode.Position(line, 0);
    await vscode.window.showTextDocument(document, { selection: new vscode.Range(position, position), preserveFocus: false });
    await vscode.commands.executeCommand("editor.action.showHover");
  });
}

export interface FileCritique {
  critiqued: number;
  /** Rows whose content was critiqued before (in this workspace): their critique was kept, not asked again. */
  reused: number;
  failed: number;
  cancelled: boolean;
  results: Array<{ line: number; score: number }>;
  report: ShownReport;
}

/**
 * Critiques every row (or the selected ones), several at once where the backend allows, then
 * reports by score. Rows whose content already has a critique keep it (unless `force`): after a
 * reload or an interrupted run only new and edited rows are judged.
 */
export async function critiqueFile(studio: InstructStudio, args?: { maxRows?: number; force?: boolean }): Promise<FileCritique | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== "jsonl") throw new ModelError("Open a .jsonl dataset to critique its rows.", "file");
  const document = editor.document;
  const selection = editor.selection;
  const [first, last] = selection.isEmpty ? [0, document.lineCount - 1] : [selection.start.line, selection.end.line];
  const lines: number[] = [];
  const results: Array<{ line: number; critique: Critique }> = [];
  for (let i = first; i <= last && lines.length + results.length < (args?.maxRows ?? Infinity); i++) {
    const parsed = parseRow(rowText(document, i));
    if (parsed.kind !== "value" || parsed.errors.length > 0 || !isPlainObject(parsed.value)) continue;
    const kept = args?.force ? undefined : studio.critiques.remembered(document, i);
    if (kept) results.push({ line: i, critique: kept });
    else lines.push(i);
  }
  const reused = results.length;
  if (lines.length + reused === 0) throw new ModelError("No valid rows to critique.", "file");
  let failed = 0;
  const outcome =
    lines.length === 0
      ? { cancelled: false }
      : await studio.models.use((backend) =>
          studio.jobs.run(`Critiquing ${lines.length} rows`, async (signal, report) => {
            const limiter = new Limiter(backend.info().parallel);
            let done = 0;
            await Promise.all(
              lines.map((line) =>
                limiter.run(async () => {
                  if (signal.aborted) return;
                  try {
                    const target = await rowTarget(studio, { uri: document.uri.toString(), line });
                    const critique = await withRetries(() => critiqueOne(backend, target.anchor.text, target.format, signal), defaultRetryPolicy, signal);
                    results.push({ line, critique });
                    studio.critiques.set(document, target.anchor, critique);
                  } catch (error) {
                    if (error instanceof ModelError && error.kind === "cancelled") return;
                    failed++;
                    studio.log.warn(`Critique of line ${line + 1}: ${(error as Error).message}`);
                    if (error instanceof ModelError && (error.kind === "crashed" || error.kind === "hung" || error.kind === "server")) throw error;
                  }
                  report(`${++done}/${lines.length}`);
                }),
              ),
            );
            return { cancelled: signal.aborted };
          }),
        );
  results.sort((a, b) => a.critique.score - b.critique.score || a.line - b.line);
  const rows = results.map(
    ({ line, critique }) => `| ${rowLink(line + 1)} | ${critique.score} | ${critique.issues.length} | ${tableCell(critique.rationale).slice(0, 300)} |`,
  );
  const file = vscode.workspace.asRelativePath(document.uri);
  const judged = results.length - reused;
  const counts = `${judged} row${judged === 1 ? "" : "s"} critiqued${reused ? `, ${reused} kept from before (unchanged since their critique)` : ""}${failed ? `, ${failed} failed` : ""}${outcome.cancelled ? " (cancelled)" : ""}`;
  const markdown = `# Critique of ${file}\n\n${counts}; lowest scores first (click a column to sort, a score to show only those rows, a line to open it).\n\n| Line | Score | Issues | Rationale |\n|---:|---:|---:|---|\n${rows.join("\n")}\n`;
  const shown = await showReportPanel(studio.extension.extensionUri, { title: `Critique: ${basename(document.uri.fsPath)}`, markdown, dataset: document.uri });
  return {
    critiqued: judged,
    reused,
    failed,
    cancelled: outcome.cancelled,
    results: results.map(({ line, critique }) => ({ line, score: critique.score })),
    report: shown,
  };
}

function describeOutcome(outcome: ReplaceOutcome, line: number): string {
  if (outcome === "applied") return `Line ${line + 1} updated.`;
  if (outcome === "row-changed") return `Line ${line + 1} was edited meanwhile; the model's text was not applied.`;
  return "VS Code refused the edit; nothing was written.";
}

/** "Rewrite response" and "Continue the assistant turn": one undo step, only if the row is still as it was. */
async function editResponse(
  studio: InstructStudio,
  mode: "rewrite" | "continue",
  args?: { uri?: string; line?: number; feedback?: string; seed?: number },
): Promise<{ outcome: ReplaceOutcome; text: string }> {
  const target = await rowTarget(studio, args);
  const { layout, roles } = chatShape(target, studio);
  const response = responseTarget(target.row, target.format, layout, roles);
  if (typeof response === "string") throw new ModelError(`Nothing to ${mode} on line ${target.anchor.line + 1}: ${response}.`, "file");
  const model = studio.models.modelSettings;
  const text = await studio.models.use((backend) =>
    studio.jobs.run(
      mode === "rewrite" ? `Rewriting the response on line ${target.anchor.line + 1}` : `Continuing the response on line ${target.anchor.line + 1}`,
      async (signal, report) => {
        let streamed = "";
        const request =
          mode === "rewrite"
            ? { messages: rewritePrompt(response, args?.feedback) }
            : { messages: [...response.context, { role: "assistant" as const, content: response.response }], continueLastTurn: true };
        const result = await backend.generate(
          { ...request, maxTokens: model.maxTokens, temperature: model.temperature, topP: model.topP, seed: args?.seed },
          (chunk) => report(tail((streamed += chunk))),
          signal,
        );
        if (result.stopReason === "abort") throw new ModelError("Cancelled; the row is unchanged.", "cancelled");
        if (result.stopReason === "maxTokens")
          throw new ModelError(
            `The model's text was cut off at ${model.maxTokens} tokens; the row is unchanged (raise instructStudio.model.maxTokens).`,
            "output",
          );
        return result.text;
      },
    ),
  );
  // A continuation that adds nothing would be "applied" as an identical row: refuse it like an empty rewrite.
  if (!text.trim()) throw new ModelError("The model wrote nothing; the row is unchanged.", "output");
  const newValue = mode === "rewrite" ? text.trim() : response.response + text;
  const document = target.document;
  const outcome = await replaceRow(document, target.anchor, replaceValue(target.anchor.text, response.path, newValue));
  const message = describeOutcome(outcome, target.anchor.line);
  studio.log.info(`${mode}, line ${target.anchor.line + 1}: ${message}`);
  void (outcome === "applied" ? vscode.window.showInformationMessage(message) : vscode.window.showWarningMessage(message));
  return { outcome, text: newValue };
}

export const rewriteResponse = (studio: InstructStudio, args?: { uri?: string; line?: number; feedback?: string; seed?: number }) =>
  editResponse(studio, "rewrite", args);
export const continueTurn = (studio: InstructStudio, args?: { uri?: string; line?: number; seed?: number }) => editResponse(studio, "continue", args);
