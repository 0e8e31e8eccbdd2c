import * as vscode from "vscode";
import { rowHash } from "../core/batch/rowHash";
import { critiqueAspects, type Critique } from "../core/generation/critique";
import { CritiqueMemory } from "./critiqueMemory";

export const critiqueSource = "critique";

const escapeMarkdown = (text: string) => text.replace(/[\\`*_{}[\]()#+\-.!<>|~]/g, "\\$&");

/**
 * Critiques shown on their rows: a diagnostic (source "critique"), a hover and a quick fix. A
 * critique belongs to a row's content (its hash), kept in the workspace's storage: it follows the
 * row when lines move, leaves an edited row (and comes back with an undo), and is shown again
 * when the dataset is opened after a reload.
 */
export class CritiqueStore implements vscode.Disposable, vscode.HoverProvider, vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly collection = vscode.languages.createDiagnosticCollection("instruct-studio-critique");
  /** Per open dataset with critiques: line → its critique. */
  private readonly shown = new Map<string, Map<number, Critique>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(readonly memory: CritiqueMemory) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.restore(d)),
      vscode.workspace.onDidChangeTextDocument(
        (e) => e.contentChanges.length > 0 && this.shown.has(e.document.uri.toString()) && this.follow(e.document, e.contentChanges),
      ),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    ];
    for (const document of vscode.workspace.textDocuments) this.restore(document);
  }

  /** Keeps the critique of the row as it was judged; shows it there if the row still reads so. */
  set(document: vscode.TextDocument, row: { line: number; text: string }, critique: Critique): void {
    const key = document.uri.toString();
    this.memory.remember(key, rowHash(row.text), critique);
    const lines = this.shown.get(key) ?? new Map<number, Critique>();
    if (row.line < document.lineCount && document.lineAt(row.line).text === row.text) lines.set(row.line, critique);
    this.shown.set(key, lines);
    this.publish(document);
  }

  get(document: vscode.TextDocument, line: number): Critique | undefined {
    return this.shown.get(document.uri.toString())?.get(line);
  }

  /** The critique kept for a row's current content, shown or not. */
  remembered(document: vscode.TextDocument, line: number): Critique | undefined {
    return this.memory.of(document.uri.toString()).get(rowHash(document.lineAt(line).text));
  }

  clear(uri: vscode.Uri): void {
    this.shown.delete(uri.toString());
    this.collection.delete(uri);
  }

  /** Every row whose content has a kept critique gets it: one hash per line, once per opening. */
  private restore(document: vscode.TextDocument): void {
    if (document.languageId !== "jsonl" || document.uri.scheme === "output") return;
    const key = document.uri.toString();
    const kept = this.memory.of(key);
    if (kept.size === 0) return;
    const lines = new Map<number, Critique>();
    for (let line = 0; line < document.lineCount; line++) this.lookUp(document, line, kept, lines);
    this.shown.set(key, lines);
    this.publish(document);
  }

  private lookUp(document: vscode.TextDocument, line: number, kept: Map<string, Critique>, into: Map<number, Critique>): void {
    const text = document.lineAt(line).text;
    if (!text.trim()) return;
    const critique = kept.get(rowHash(text));
    if (critique) into.set(line, critique);
  }

  /**
   * One change (typing, a paste, a deleted block): the rows after it move by its line delta, and
   * only its own lines are looked up again. Several changes at once: every line is looked up.
   */
  private follow(document: vscode.TextDocument, changes: readonly vscode.TextDocumentContentChangeEvent[]): void {
    if (changes.length > 1) return this.restore(document);
    const key = document.uri.toString();
    const { range, text } = changes[0];
    const added = text.split("\n").length - 1;
    const delta = added - (range.end.line - range.start.line);
    const moved = new Map<number, Critique>();
    for (const [line, critique] of this.shown.get(key) ?? []) {
      if (line < range.start.line) moved.set(line, critique);
      else if (line > range.end.line) moved.set(line + delta, critique);
    }
    const kept = this.memory.of(key);
    for (let line = range.start.line; line <= range.start.line + added && line < document.lineCount; line++) this.lookUp(document, line, kept, moved);
    this.shown.set(key, moved);
    this.publish(document);
  }

  private publish(document: vscode.TextDocument): void {
    const diagnostics = [...(this.shown.get(document.uri.toString()) ?? [])].map(([line, critique]) => {
      const severity =
        critique.score <= 2 ? vscode.DiagnosticSeverity.Warning : critique.score === 3 ? vscode.DiagnosticSeverity.Information : vscode.DiagnosticSeverity.Hint;
      const issues = critique.issues.map((i) => `\n- ${i.field ? `${i.field}: ` : ""}${i.problem}${i.suggestion ? ` → ${i.suggestion}` : ""}`).join("");
      const diagnostic = new vscode.Diagnostic(document.lineAt(line).range, `Critique ${critique.score}/5: ${critique.rationale}${issues}`, severity);
      diagnostic.source = critiqueSource;
      diagnostic.code = `score-${critique.score}`;
      return diagnostic;
    });
    this.collection.set(document.uri, diagnostics);
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
        action.command = {
          command: "instructStudio.rewriteResponse",
          title: action.title,
          arguments: [{ uri: document.uri.toString(), line: diagnostic.range.start.line, feedback }],
        };
        return [action];
      });
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
