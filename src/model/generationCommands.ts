import { basename } from "node:path";
import * as vscode from "vscode";
import { showReportPanel } from "../reports/reportPanel";
import { convertRow } from "../core/convert/convertRow";
import { formatLabels } from "../core/formats/detect";
import { datasetContext, readDatasetRows } from "../core/generation/datasetContext";
import { generateEntries } from "../core/generation/generateEntries";
import { genstructPrompt, genstructStops, groundedChatPrompt, groundedSchema, isGenstructModel, parseGenstruct } from "../core/generation/genstruct";
import { serializeLike } from "../core/generation/serializeLike";
import { judgeCandidate } from "../core/generation/selfInstruct";
import { RougeIndex } from "../core/generation/rougeL";
import { ModelError } from "../core/model/backend";
import type { InstructStudio } from "../context";
import { isJsonl } from "../editor/rowAtCursor";
import { tail } from "./modelJobs";
import { appendRow } from "./safeEdits";

export interface GenerateSummary {
  accepted: number;
  rejected: Array<{ reason: string }>;
  attempts: number;
  cancelled: boolean;
  error?: string;
}

function documentLines(document: vscode.TextDocument): string[] {
  return Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
}

async function showRejected(extensionUri: vscode.Uri, rejected: Array<{ reason: string; text: string }>): Promise<void> {
  const body = rejected.map((r, i) => `## ${i + 1}. ${r.reason}\n\n\`\`\`json\n${r.text.replace(/```/g, "ʼʼʼ")}\n\`\`\``).join("\n\n");
  await showReportPanel(extensionUri, { title: "Rejected generated entries", markdown: `# Rejected generated entries\n\n${body}\n` });
}

/** "Generate entries like these": Self-Instruct over the active dataset, entries appended as they pass. */
export async function generateLikeThese(studio: InstructStudio, args?: { count?: number; seed?: number }): Promise<GenerateSummary | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isJsonl(editor.document)) throw new ModelError("Open a .jsonl dataset to generate entries like its rows.", "file");
  const document = editor.document;
  let count = args?.count;
  if (count === undefined) {
    const answer = await vscode.window.showInputBox({
      title: "Generate entries like these",
      prompt: "How many new entries?",
      value: "5",
      validateInput: (v) => (/^[1-9]\d{0,3}$/.test(v.trim()) ? undefined : "A number from 1 to 9999"),
    });
    if (!answer) return undefined;
    count = Number(answer);
  }
  const dataset = datasetContext(readDatasetRows(documentLines(document)), studio.settings.current.validation.options);
  const model = studio.models.modelSettings;
  const title = `Generating ${count} ${formatLabels[dataset.format]} entr${count === 1 ? "y" : "ies"}`;
  const outcome = await studio.models.use((backend) =>
    studio.jobs.run(title, async (signal, report) => {
      let streamed = "";
      return generateEntries(backend, dataset, {
        count: count!,
        seed: args?.seed,
        maxTokens: model.maxTokens,
        temperature: model.temperature,
        topP: model.topP,
        signal,
        onText: (chunk) => report(tail((streamed += chunk))),
        onProgress: (accepted, attempts) => report(`${accepted}/${count} accepted, ${attempts} tried`),
        onRejected: (reason) => studio.log.info(`Generated entry rejected: ${reason}`),
        onAccepted: async (line) => {
          streamed = "";
          if (!(await appendRow(document, line))) throw new ModelError("VS Code refused to append the entry; generation stopped.", "output");
        },
      });
    }),
  );
  const summary: GenerateSummary = {
    accepted: outcome.accepted.length,
    rejected: outcome.rejected.map((r) => ({ reason: r.reason })),
    attempts: outcome.attempts,
    cancelled: outcome.cancelled,
    error: outcome.error instanceof Error ? outcome.error.message : outcome.error === undefined ? undefined : String(outcome.error),
  };
  const text = `Added ${summary.accepted} of ${count} entries to ${basename(document.fileName)}${summary.cancelled ? " (cancelled)" : ""}; ${outcome.rejected.length} rejected.${summary.error ? ` Stopped: ${summary.error}` : ""}`;
  studio.log.info(text);
  const show = summary.error ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
  void show(text, ...(outcome.rejected.length ? ["Show Rejected"] : [])).then((pick) =>
    pick ? showRejected(studio.extension.extensionUri, outcome.rejected) : undefined,
  );
  return summary;
}

/** Picks the dataset a passage's entry goes to: an open .jsonl document, or one from disk. */
async function pickTarget(uri?: string): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
  const open = vscode.workspace.textDocuments.filter(isJsonl);
  const items = [
    ...open.map((d) => ({ label: basename(d.fileName), description: vscode.workspace.asRelativePath(d.uri), document: d })),
    { label: "$(folder-opened) Choose a .jsonl file…", description: "", document: undefined },
  ];
  const pick = await vscode.window.showQuickPick(items, { title: "Append the generated entry to which dataset?" });
  if (!pick) return undefined;
  if (pick.document) return pick.document;
  const files = await vscode.window.showOpenDialog({ filters: { "JSON Lines": ["jsonl", "ndjson"] }, canSelectMany: false });
  return files?.[0] ? vscode.workspace.openTextDocument(files[0]) : undefined;
}

/** "Generate from passage" (Genstruct): the selected text becomes a grounded entry in a dataset. */
export async function generateFromPassage(
  studio: InstructStudio,
  args?: { target?: string; title?: string; passage?: string; seed?: number },
): Promise<{ appended: boolean; line?: string } | undefined> {
  const editor = vscode.window.activeTextEditor;
  const passage = (args?.passage ?? (editor ? editor.document.getText(editor.selection) : "")).trim();
  if (!passage) throw new ModelError("Select the passage to build an entry from.", "file");
  const target = await pickTarget(args?.target);
  if (!target) return undefined;
  const firstLine = passage.split("\n")[0].trim();
  const title =
    args?.title ??
    (await vscode.window.showInputBox({
      title: "Passage title",
      value: firstLine.length <= 80 ? firstLine : basename(editor?.document.fileName ?? "passage"),
    }));
  if (title === undefined) return undefined;
  const dataset = datasetContext(readDatasetRows(documentLines(target)), studio.settings.current.validation.options);
  const model = studio.models.modelSettings;
  const { question, answer } = await studio.models.use((backend) =>
    studio.jobs.run(`Writing an entry from "${title.slice(0, 40)}"`, async (signal, report) => {
      let streamed = "";
      const onText = (chunk: string) => report(tail((streamed += chunk)));
      const sampling = { maxTokens: model.maxTokens, temperature: model.temperature, topP: model.topP, seed: args?.seed };
      if (isGenstructModel(backend.info().label)) {
        const result = await backend.generate({ prompt: genstructPrompt(title, passage), stop: genstructStops, ...sampling }, onText, signal);
        if (result.stopReason === "maxTokens") throw new ModelError(`The entry was cut off at ${model.maxTokens} tokens; nothing was written.`, "output");
        return parseGenstruct(result.text);
      }
      const result = await backend.generate({ messages: groundedChatPrompt(title, passage), schema: groundedSchema, ...sampling }, onText, signal);
      if (result.stopReason === "abort") throw new ModelError("Cancelled.", "cancelled");
      if (result.stopReason === "maxTokens") throw new ModelError(`The entry was cut off at ${model.maxTokens} tokens; nothing was written.`, "output");
      const parsed = JSON.parse(result.text) as { question: string; answer: string };
      return { question: parsed.question.trim(), answer: parsed.answer.trim() };
    }),
  );
  const alpaca = { instruction: question, input: "", output: answer };
  let row: Record<string, unknown>;
  if (dataset.format === "alpaca") row = alpaca;
  else if (dataset.format === "sharegpt" || dataset.format === "openai") {
    const converted = convertRow(alpaca, dataset.format, { layout: dataset.layout, roles: dataset.roles });
    if (!("row" in converted)) throw new ModelError(converted.skipped, "output");
    row = converted.row;
  } else if (dataset.format === "prompt-completion") row = { prompt: question, completion: answer };
  else
    throw new ModelError(
      `Entries from passages go into Alpaca, ShareGPT, OpenAI messages or prompt-completion datasets, not ${formatLabels[dataset.format]}.`,
      "file",
    );
  const line = serializeLike(row, dataset.style);
  const verdict = judgeCandidate(line, "end", {
    format: dataset.format,
    layout: dataset.layout,
    roles: dataset.roles,
    validation: dataset.validation,
    seen: new RougeIndex(),
  });
  if (!verdict.accepted && !verdict.reason.startsWith("instruction too")) {
    void vscode.window.showWarningMessage(`The generated entry was not added: ${verdict.reason}`);
    return { appended: false, line };
  }
  const appended = await appendRow(target, line);
  void vscode.window.showInformationMessage(
    appended ? `Added an entry from "${title}" to ${basename(target.fileName)}.` : "VS Code refused the edit; nothing was written.",
  );
  return { appended, line };
}
