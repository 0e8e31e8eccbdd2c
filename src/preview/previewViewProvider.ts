import * as vscode from "vscode";
import { webviewHtml } from "./webviewHtml";
import type { ExtensionToWebview, RenderedReport, WebviewToExtension } from "../protocol/webview";

/** Hosts the preview webview view: HTML with a strict CSP, typed messages both ways. */
export class PreviewViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = "instructStudio.preview";
  private view: vscode.WebviewView | undefined;
  /** What the panel shows now: a row (or empty) message and its training view; replayed when the view (re)loads. */
  private current: ExtensionToWebview[] = [];
  private ready = false;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly onRenderedEmitter = new vscode.EventEmitter<RenderedReport>();
  readonly onRendered = this.onRenderedEmitter.event;
  lastRendered: RenderedReport | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly onVisible: () => void,
  ) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    const outUri = vscode.Uri.joinPath(this.extensionUri, "out");
    view.webview.options = { enableScripts: true, localResourceRoots: [outUri] };
    view.webview.html = webviewHtml(view.webview, outUri, { script: "webview.js", title: "Instruct Studio Preview" });
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: WebviewToExtension) => this.receive(message)),
      view.onDidChangeVisibility(() => view.visible && this.onVisible()),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
  }

  get isVisible(): boolean {
    return this.view?.visible ?? false;
  }

  post(message: ExtensionToWebview): void {
    if (message.type === "showRow" || message.type === "showEmpty") this.current = [message];
    else this.current = [...this.current.filter((m) => m.type === "showRow"), message];
    if (this.view && this.ready) void this.view.webview.postMessage(message);
  }

  private receive(message: WebviewToExtension): void {
    if (message.type === "ready") {
      this.ready = true;
      if (this.current.length > 0) for (const m of this.current) void this.view?.webview.postMessage(m);
      else this.onVisible();
    } else if (message.type === "rendered") {
      this.lastRendered = message.report;
      this.onRenderedEmitter.fire(message.report);
    }
  }

  dispose(): void {
    this.onRenderedEmitter.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
