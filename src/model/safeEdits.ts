import * as vscode from "vscode";
import { isPlainObject, parseRow } from "../core/jsonl/parseRow";

/** A row as it was read: edits go where this text still is, never by line number alone. */
export interface RowAnchor {
  uri: string;
  line: number;
  text: string;
}

export function anchorAt(document: vscode.TextDocument, line: number): RowAnchor {
  return { uri: document.uri.toString(), line, text: document.lineAt(line).text };
}

/** The row's line now: where it was if unchanged, else the one line with the same text. */
export function locateRow(document: vscode.TextDocument, anchor: RowAnchor): number | undefined {
  if (anchor.line < document.lineCount && document.lineAt(anchor.line).text === anchor.text) return anchor.line;
  let found: number | undefined;
  for (let i = 0; i < document.lineCount; i++) {
    if (document.lineAt(i).text !== anchor.text) continue;
    if (found !== undefined) return undefined;
    found = i;
  }
  return found;
}

/** Only one valid JSON object on one line is ever written. */
export function assertWritableRow(text: string): void {
  if (/[\r\n\u2028\u2029]/.test(text)) throw new Error("refused to write a row that spans several lines");
  const parsed = parseRow(text);
  if (parsed.kind !== "value" || parsed.errors.length > 0 || !isPlainObject(parsed.value))
    throw new Error("refused to write a row that is not one JSON object");
}

export type ReplaceOutcome = "applied" | "row-changed" | "rejected";

/** Replaces a row found by content, as one undo step; a row edited meanwhile is left alone. */
export async function replaceRow(document: vscode.TextDocument, anchor: RowAnchor, newText: string): Promise<ReplaceOutcome> {
  assertWritableRow(newText);
  const line = locateRow(document, anchor);
  if (line === undefined) return "row-changed";
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, document.lineAt(line).range, newText);
  if (await vscode.workspace.applyEdit(edit)) return "applied";
  // VS Code refuses an edit when the document changed under it: the user typed meanwhile.
  return locateRow(document, anchor) === undefined ? "row-changed" : "rejected";
}

/**
 * Appends one row at the end of the document as one undo step, keeping every existing line
 * byte-identical and the file's line ending; a final newline stays final.
 */
export async function appendRow(document: vscode.TextDocument, text: string): Promise<boolean> {
  assertWritableRow(text);
  const eol = document.eol === vscode.EndOfLine.CRLF ? "\r\n" : "\n";
  const last = document.lineAt(document.lineCount - 1);
  const edit = new vscode.WorkspaceEdit();
  if (last.text.length === 0 && document.lineCount > 1) edit.insert(document.uri, last.range.start, text + eol);
  else if (last.text.length === 0) edit.insert(document.uri, last.range.start, text);
  else edit.insert(document.uri, last.range.end, eol + text);
  return vscode.workspace.applyEdit(edit);
}
