import * as vscode from "vscode";
import type { Diagnostic, Severity, Span } from "../core/lint/diagnostic";

const severities: Record<Severity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

export const diagnosticSource = "Instruct Studio";

export function toRange(span: Span): vscode.Range {
  return new vscode.Range(span.line, span.column, span.endLine, span.endColumn);
}

export function toVscodeDiagnostic(uri: vscode.Uri, d: Diagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d), d.message, severities[d.severity]);
  diagnostic.source = diagnosticSource;
  diagnostic.code = d.rule;
  if (d.rule === "unused-key") diagnostic.tags = [vscode.DiagnosticTag.Unnecessary];
  if (d.related) diagnostic.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r)), r.message));
  return diagnostic;
}

export function toWorkspaceEdit(uri: vscode.Uri, diagnostics: Diagnostic[]): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const taken: vscode.Range[] = [];
  for (const d of diagnostics) {
    const ranges = d.fix?.edits.map(toRange) ?? [];
    // Fix-all merges many fixes: one that overlaps an edit already taken waits for the next run.
    if (ranges.some((r) => taken.some((t) => t.intersection(r) && !(t.isEmpty && r.isEmpty)))) continue;
    d.fix?.edits.forEach((e, i) => edit.replace(uri, ranges[i], e.newText));
    taken.push(...ranges);
  }
  return edit;
}
