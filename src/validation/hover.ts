import * as vscode from "vscode";
import { formatLabels } from "../core/formats/detect";
import { summarizeRow } from "../core/formats/summary";
import { parseRow, stripBom } from "../core/jsonl/parseRow";
import type { NearDuplicateMembership } from "../core/validate/documentValidator";
import type { ValidationController } from "./validationController";

/** A row's format, turns, size and problems, shown over the row's opening brace. */
export class RowHoverProvider implements vscode.HoverProvider {
  constructor(private readonly validation: ValidationController) {}

  async provideHover(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const raw = document.lineAt(position.line).text;
    const text = position.line === 0 ? stripBom(raw).text : raw;
    const braceColumn = raw.length - raw.trimStart().length;
    if (position.character > braceColumn + 1) return undefined;
    const parsed = parseRow(text);
    if (parsed.kind !== "value" || parsed.errors.length > 0) return undefined;
    const summary = summarizeRow(parsed.value);
    const format = summary.format ?? this.validation.summaryOf(document)?.format;
    const lines = await this.validation.linesOf(document, [position.line]);
    const problems = lines?.diagnostics ?? [];
    const group = lines?.nearDuplicates[position.line];
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`**Row ${position.line + 1}** · ${format ? formatLabels[format] : "not instruction data"}\n\n`);
    // Roles are dataset text: appendText escapes them, so a role cannot become a link or an image.
    if (summary.parts.length)
      markdown
        .appendMarkdown("Turns: ")
        .appendText(summary.parts.map((p) => p.role).join(" → "))
        .appendMarkdown("\n\n");
    markdown.appendMarkdown(`${summary.characters.toLocaleString("en-US")} characters of text`);
    if (problems.length)
      markdown.appendMarkdown(
        ` · ${problems.length} problem${problems.length === 1 ? "" : "s"}: ${[...new Set(problems.map((p) => `\`${p.rule}\``))].join(", ")}`,
      );
    if (group) markdown.appendMarkdown(`\n\n${nearDuplicateNote(position.line, group)}`);
    return new vscode.Hover(markdown, new vscode.Range(position.line, braceColumn, position.line, braceColumn + 1));
  }
}

/** Where a row stands among its near duplicates: the group's one finding sits on its first repeating row. */
export function nearDuplicateNote(line: number, group: NearDuplicateMembership): string {
  const finding = group.findingLine === line ? "this row's finding" : `the finding on row ${group.findingLine + 1}`;
  if (group.repeats) return `${group.repeats} One of ${group.rows.toLocaleString("en-US")} rows that nearly repeat each other: ${finding} names them.`;
  const later = group.rows - 1;
  return later === 1
    ? `A later row nearly repeats this one: ${finding} names it.`
    : `${later.toLocaleString("en-US")} later rows nearly repeat this one or each other: ${finding} names them.`;
}
