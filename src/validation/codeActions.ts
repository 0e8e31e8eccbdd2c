import * as vscode from "vscode";
import type { Diagnostic } from "../core/lint/diagnostic";
import { diagnosticSource, toRange, toWorkspaceEdit } from "./toVscode";
import type { ValidationController } from "./validationController";

/** Quick fixes computed by the core, one per problem, plus "fix all of this kind" per file. */
export class FixProvider implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly validation: ValidationController) {}

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const validator = this.validation.flush(document);
    if (!validator) return [];
    const actions: vscode.CodeAction[] = [];
    const offered = new Set<string>();
    for (let line = range.start.line; line <= range.end.line; line++) {
      for (const d of validator.diagnosticsAt(line)) {
        if (!d.fix || !toRange(d).intersection(range)) continue;
        if (!this.validation.fixesMatchDocument(document, [d])) return [];
        const matching = context.diagnostics.filter((v) => v.source === diagnosticSource && v.code === d.rule && v.range.isEqual(toRange(d)));
        const action = new vscode.CodeAction(d.fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(document.uri, [d]);
        action.diagnostics = matching;
        action.isPreferred = true;
        actions.push(action);
        if (!offered.has(d.rule)) {
          offered.add(d.rule);
          const all = validator.diagnostics().filter((other) => other.rule === d.rule && other.fix);
          if (all.length > 1 && this.validation.fixesMatchDocument(document, all)) actions.push(this.fixAll(document, d.rule, all));
        }
      }
    }
    return actions;
  }

  private fixAll(document: vscode.TextDocument, rule: string, all: Diagnostic[]): vscode.CodeAction {
    const action = new vscode.CodeAction(`Fix all ${all.length} \`${rule}\` problems in this file`, vscode.CodeActionKind.QuickFix);
    action.edit = toWorkspaceEdit(document.uri, all);
    return action;
  }
}
