import * as vscode from "vscode";
import { diagnosticSource, toRange, toWorkspaceEdit } from "./toVscode";
import type { ValidationController } from "./validationController";

class FixAllAction extends vscode.CodeAction {
  constructor(
    readonly document: vscode.TextDocument,
    readonly rule: string,
    count: number,
  ) {
    super(`Fix all ${count.toLocaleString("en-US")} \`${rule}\` problems in this file`, vscode.CodeActionKind.QuickFix);
  }
}

/**
 * Quick fixes computed by the core, one per problem, plus "fix all of this kind" per file, whose
 * edit is built only when chosen (a file of 100,000 duplicates would otherwise build 100,000
 * fixes whenever the light bulb asks).
 */
export class FixProvider implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly validation: ValidationController) {}

  async provideCodeActions(document: vscode.TextDocument, range: vscode.Range, context: vscode.CodeActionContext): Promise<vscode.CodeAction[]> {
    const requested = Array.from({ length: range.end.line - range.start.line + 1 }, (_, i) => range.start.line + i);
    // Undefined also when the validator's copy of a line to fix differs from the document: no fix then.
    const found = await this.validation.linesOf(document, requested);
    if (!found) return [];
    const actions: vscode.CodeAction[] = [];
    const offered = new Set<string>();
    for (const d of found.diagnostics) {
      if (!d.fix || !toRange(d).intersection(range)) continue;
      const matching = context.diagnostics.filter((v) => v.source === diagnosticSource && v.code === d.rule && v.range.isEqual(toRange(d)));
      const action = new vscode.CodeAction(d.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = toWorkspaceEdit(document.uri, [d]);
      action.diagnostics = matching;
      action.isPreferred = true;
      actions.push(action);
      if (!offered.has(d.rule)) {
        offered.add(d.rule);
        const count = found.fixableCounts[d.rule] ?? 0;
        if (count > 1) actions.push(new FixAllAction(document, d.rule, count));
      }
    }
    return actions;
  }

  async resolveCodeAction(action: vscode.CodeAction): Promise<vscode.CodeAction> {
    if (!(action instanceof FixAllAction)) return action;
    const all = await this.validation.fixable(action.document, action.rule);
    if (all.length > 0) action.edit = toWorkspaceEdit(action.document.uri, all);
    return action;
  }
}
