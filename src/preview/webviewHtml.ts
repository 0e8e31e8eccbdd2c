import { randomBytes } from "node:crypto";
import * as vscode from "vscode";

export interface WebviewPage {
  /** The bundle in out/ to run (webview.js, budget-webview.js). */
  script: string;
  title: string;
  bodyClass?: string;
  /** data: images, for a page that turns its own SVG into a PNG. */
  dataImages?: boolean;
}

/** A webview page: one bundled script under a nonce, the shared stylesheet, a strict CSP. */
export function webviewHtml(webview: vscode.Webview, outUri: vscode.Uri, page: WebviewPage): string {
  const nonce = randomBytes(16).toString("base64");
  const script = webview.asWebviewUri(vscode.Uri.joinPath(outUri, page.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(outUri, "webview-style.css"));
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource}`,
    `font-src ${webview.cspSource}`,
    ...(page.dataImages ? ["img-src data:"] : []),
    `script-src 'nonce-${nonce}'`,
  ].join("; ");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${page.title}</title>
</head>
<body${page.bodyClass ? ` class="${page.bodyClass}"` : ""}>
<main id="root" aria-live="polite"></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
