import { join } from "node:path";
import * as vscode from "vscode";
import { ModelHost } from "./backend/modelHost";
import { registerCommands } from "./commands";
import { CursorFollower } from "./cursorFollower";
import { LongLineNotice } from "./longLineNotice";
import { PreviewViewProvider } from "./preview/previewViewProvider";
import { isJsonl, rowAt } from "./rowAtCursor";
import { FixProvider } from "./validation/codeActions";
import { RowHoverProvider } from "./validation/hover";
import { ValidationStatusBar } from "./validation/statusBar";
import { ValidationController } from "./validation/validationController";

/**
 * Owns everything the extension creates; disposing it undoes activation. Heavy pieces
 * (tokenizers, templates, the model backend) are created on first use, never here.
 */
export class InstructStudio implements vscode.Disposable {
  readonly log: vscode.LogOutputChannel;
  readonly preview: PreviewViewProvider;
  readonly validation: ValidationController;
  readonly statusBar: ValidationStatusBar;
  activationMs = 0;
  private readonly disposables: vscode.Disposable[] = [];
  private modelHost: ModelHost | undefined;

  constructor(readonly extension: vscode.ExtensionContext) {
    this.log = vscode.window.createOutputChannel("Instruct Studio", { log: true });
    this.preview = new PreviewViewProvider(extension.extensionUri, () => this.refreshPreview());
    this.validation = new ValidationController(this.log);
    this.statusBar = new ValidationStatusBar(this.validation);
    const jsonl: vscode.DocumentSelector = { language: "jsonl" };
    this.disposables.push(
      this.log,
      this.preview,
      this.validation,
      this.statusBar,
      vscode.languages.registerCodeActionsProvider(jsonl, new FixProvider(this.validation), { providedCodeActionKinds: FixProvider.kinds }),
      vscode.languages.registerHoverProvider(jsonl, new RowHoverProvider(this.validation)),
      vscode.window.registerWebviewViewProvider(PreviewViewProvider.viewId, this.preview),
      new CursorFollower(() => this.preview.isVisible && this.refreshPreview()),
      new LongLineNotice(extension.globalState),
      ...registerCommands(this),
    );
  }

  /** The model backend, started on first use. */
  get model(): ModelHost {
    return (this.modelHost ??= new ModelHost(join(this.extension.extensionPath, "out")));
  }

  /** Sends the row under the cursor of the active JSONL editor to the preview. */
  refreshPreview(): void {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !isJsonl(editor.document)) {
      this.preview.post({ type: "showEmpty", reason: "Open a .jsonl dataset and place the cursor on a row." });
      return;
    }
    const row = rowAt(editor.document, editor.selection.active.line);
    this.preview.post(row ? { type: "showRow", row } : { type: "showEmpty", reason: "This line is blank." });
  }

  dispose(): void {
    this.modelHost?.dispose();
    for (const d of this.disposables.splice(0).reverse()) d.dispose();
  }
}
