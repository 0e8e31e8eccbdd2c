import * as vscode from "vscode";
import { critiqueAspects, type Critique } from "../core/generation/critique";
import { anchorAt, locateRow, RowAnchor } from "./safeEdits";

export const critiqueSource = "critique";

interface Entry {
  anchor: RowAnchor;
  critique: Critique;
}

const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, "\\$&");

/**
 * Critiques shown on their rows: a diagnostic (source "critique"), a hover and a quick fix.
 * Each follows its row by content; an edited row loses its critique, which no longer applies.
 */
export class CritiqueStore implements vscode.Disposable, vscode.HoverProvider, vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection("instruct-studio-critique");
  private readonly entries = new Map<string, Entry[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length > 0 && this.entries.has(e.document.uri.toString()) && this.follow(e.document)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    ];
  }

  set(document: vscode.TextDocument, line: number, critique: Critique): void {
    const key = document.uri.toString();
    const list = (this.entries.get(key) ?? []).filter((e) => e.anchor.line !== line);
    list.push({ anchor: anchorAt(document, line), critique });
    this.entries.set(key, list);
    this.publish(document.uri);
  }

  get(document: vscode.TextDocument, line: number): Critique | undefined {
    return this.entries.get(document.uri.toString())?.find((e) => e.anchor.line === line && document.lineAt(line).text === e.anchor.text)?.critique;
  }

  clear(uri: vscode.Uri): void {
    this.entries.delete(uri.toString());
    this.collection.delete(uri);
  }

  private follow(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const kept: Entry[] = [];
    for (const entry of this.entries.get(key) ?? []) {
      const line = locateRow(document, entry.anchor);
      if (line !== undefined) kept.push({ ...entry, anchor: { ...entry.anchor, line } });
    }
    this.entries.set(key, kept);
    this.publish(document.uri);
  }

  private publish(uri: vscode.Uri): void {
    const diagnostics = (this.entries.get(uri.toString()) ?? []).map(({ anchor, critique }) => {
      const severity = critique.score <= 2 ? vscode.DiagnosticSeverity.Warning : critique.score === 3 ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Hint;
      const issues = critique.issues.map((i) => `\n- ${i.field ? `${i.field}: ` : ""}${i.problem}${i.suggestion ? ` → ${i.suggestion}` : ""}`).join("");
      const diagnostic = new vscode.Diagnostic(new vscode.Range(anchor.line, 0, anchor.line, anchor.text.length), `Critique ${critique.score}/5: ${critique.rationale}${issues}`, severity);
      diagnostic.source = critiqueSource;
      diagnostic.code = `score-${critique.score}`;
      return diagnostic;
    });
    this.collection.set(uri, diagnostics);
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const critique = this.get(document, position.line);
    if (!critique) return undefined;
    const markdown = new vscode.MarkdownString();
    markdown.appendMarkdown(`**Critique: ${critique.score}/5**\n\n`);
    markdown.appendMarkdown(critiqueAspects.map((a) => `${escapeMarkdown(a.replace("_", " "))} ${critique.aspects[a]}/5`).join(" · ") + "\n\n");
    markdown.appendText(critique.rationale);
    for (const issue of critique.issues) {
      markdown.appendMarkdown("\n\n- ");
      markdown.appendText(`${issue.field ? `${issue.field}: ` : ""}${issue.problem}${issue.suggestion ? ` → ${issue.suggestion}` : ""}`);
    }
    return new vscode.Hover(markdown);
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    return context.diagnostics
      .filter((d) => d.source === critiqueSource)
      .flatMap((diagnostic) => {
        const critique = this.get(document, diagnostic.range.start.line);
        if (!critique) return [];
        const action = new vscode.CodeAction("Rewrite the response following this critique", vscode.CodeActionKind.QuickFix);
        action.diagnostics = [diagnostic];
        const feedback = [critique.rationale, ...critique.issues.map((i) => `${i.field}: ${i.problem} ${i.suggestion}`)].join("\n");
        action.command = { command: "instructStudio.rewriteResponse", title: action.title, arguments: [{ uri: document.uri.toString(), line: diagnostic.range.start.line, feedback }] };
        return [action];
      });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
