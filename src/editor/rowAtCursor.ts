import * as vscode from "vscode";
import { summarizeRow } from "../core/formats/summary";
import { isPlainObject, parseRow, stripBom } from "../core/jsonl/parseRow";
import type { RowView } from "../protocol/webview";

/** The text of the row on `line`, without the file's BOM. */
export function rowText(document: vscode.TextDocument, line: number): string {
  const raw = document.lineAt(line).text;
  return line === 0 ? stripBom(raw).text : raw;
}

/** Keys whose message lists are rendered through the chat template (TRL's conversational rows). */
const conversationKeys = ["messages", "conversations", "prompt", "completion", "chosen", "rejected"];

/** Reads and summarizes the JSONL row on `line`; `undefined` for a blank line. */
export function rowAt(document: vscode.TextDocument, line: number): RowView | undefined {
  const text = rowText(document, line);
  const parsed = parseRow(text);
  if (parsed.kind === "blank") return undefined;
  const summary = summarizeRow(parsed.value);
  return {
    uri: document.uri.toString(),
    line,
    formatLabel: summary.formatLabel,
    characters: summary.characters,
    parts: summary.parts,
    syntaxErrors: parsed.errors.map((e) => `column ${e.start + 1}: ${e.message}`),
    conversation:
      summary.format === "sharegpt" ||
      summary.format === "openai" ||
      (isPlainObject(parsed.value) && conversationKeys.some((k) => Array.isArray((parsed.value as Record<string, unknown>)[k]))),
  };
}

export function isJsonl(document: vscode.TextDocument): boolean {
  return document.languageId === "jsonl";
}
