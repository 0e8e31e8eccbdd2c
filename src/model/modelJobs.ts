import * as vscode from "vscode";
import { chatLayoutOf, rolesFor } from "../core/formats/layout";
import { detectRowFormat } from "../core/formats/detect";
import type { FormatId } from "../core/formats/formatLabels";
import { isPlainObject, parseRow } from "../core/jsonl/parseRow";
import { ModelError } from "../core/model/backend";
import type { InstructStudio } from "../context";
import { rowText } from "../editor/rowAtCursor";
import { anchorAt, RowAnchor } from "./safeEdits";

/** Running model jobs: the progress bar's cancel and `instructStudio.internal.cancelModelJobs` both abort them. */
export class ModelJobs {
  private readonly running = new Set<AbortController>();

  get count(): number {
    return this.running.size;
  }

  /** Runs `work` under a cancellable progress notification; streamed text shows in its message. */
  async run<T>(title: string, work: (signal: AbortSignal, report: (message: string) => void) => Promise<T>): Promise<T> {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      const controller = new AbortController();
      this.running.add(controller);
      const subscription = token.onCancellationRequested(() => controller.abort());
      let last = 0;
      const report = (message: string) => {
        const now = Date.now();
        if (now - last < 100) return;
        last = now;
        progress.report({ message });
      };
      try {
        return await work(controller.signal, report);
      } finally {
        subscription.dispose();
        this.running.delete(controller);
      }
    });
  }

  cancelAll(): number {
    const n = this.running.size;
    for (const controller of this.running) controller.abort();
    return n;
  }
}

/** The tail of streamed text, on one line, for a progress message. */
export function tail(text: string, length = 60): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > length ? `…${flat.slice(-length)}` : flat;
}

export interface RowTarget {
  document: vscode.TextDocument;
  anchor: RowAnchor;
  row: Record<string, unknown>;
  format: FormatId;
}

/** The row a command works on: given by a code lens or quick fix, else the cursor's. */
export async function rowTarget(studio: InstructStudio, args?: { uri?: string; line?: number }): Promise<RowTarget> {
  let document: vscode.TextDocument | undefined;
  let line: number | undefined = args?.line;
  if (args?.uri) document = await vscode.workspace.openTextDocument(vscode.Uri.parse(args.uri));
  else {
    const editor = vscode.window.activeTextEditor;
    document = editor?.document;
    line ??= editor?.selection.active.line;
  }
  if (!document || line === undefined || document.languageId !== "jsonl") throw new ModelError("Place the cursor on a row of a .jsonl dataset.", "file");
  if (line >= document.lineCount) throw new ModelError(`The dataset has no line ${line + 1}.`, "file");
  const parsed = parseRow(rowText(document, line));
  if (parsed.kind !== "value" || parsed.errors.length > 0 || !isPlainObject(parsed.value))
    throw new ModelError(`Line ${line + 1} is not a valid JSON row; fix it first.`, "file");
  const options = studio.settings.current.validation.options;
  const format = options.format ?? studio.validation.summaryOf(document)?.format ?? detectRowFormat(parsed.value, options.layout);
  if (!format) throw new ModelError(`Line ${line + 1} is not instruction data Instruct Studio knows.`, "file");
  return { document, anchor: anchorAt(document, line), row: parsed.value, format };
}

export function chatShape(target: RowTarget, studio: InstructStudio) {
  const options = studio.settings.current.validation.options;
  const layout = chatLayoutOf(target.row, options.layout);
  return { layout, roles: layout ? rolesFor(layout, options.roles) : undefined };
}
