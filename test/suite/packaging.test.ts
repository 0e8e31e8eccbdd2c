import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { extensionId, openInEditor, screenshot, testMode } from "./helpers";

describe("packaging and grammar", () => {
  it("ships every grammar its package.json contributes, injected into JSON Lines", async () => {
    const extension = vscode.extensions.getExtension(extensionId)!;
    const grammars: Array<{ path: string; injectTo: string[] }> = extension.packageJSON.contributes.grammars;
    assert.ok(grammars.length >= 2);
    for (const grammar of grammars) {
      assert.ok(existsSync(join(extension.extensionPath, grammar.path)), grammar.path);
      assert.deepEqual(grammar.injectTo, ["source.json.lines"]);
    }
    await openInEditor("openai-messages.jsonl", 1);
    await screenshot("grammar-openai-messages");
    await openInEditor("reasoning-think.jsonl", 0);
    await screenshot("grammar-reasoning");
  });

  (testMode === "vsix" ? it : it.skip)("runs from the installed VSIX, which holds the runtime files and nothing else", () => {
    const root = vscode.extensions.getExtension(extensionId)!.extensionPath;
    const extensionsDir = process.env.INSTRUCT_STUDIO_EXTENSIONS_DIR;
    assert.ok(extensionsDir && root.startsWith(extensionsDir), `${root} should be inside ${extensionsDir}`);
    for (const file of [
      "out/extension.js",
      "out/model-worker.js",
      "out/preview-worker.js",
      "out/validate-worker.js",
      "out/document-worker.js",
      "out/config-worker.js",
      "out/budget-worker.js",
      "out/budget-webview.js",
      "out/report-webview.js",
      "out/webview.js",
      "out/webview-style.css",
      "out/cli.js",
      "out/cli-main.js",
      "out/lint-worker.js",
      "media/icon.svg",
      "node_modules/node-llama-cpp/package.json",
      "node_modules/@node-llama-cpp/linux-x64/package.json",
    ]) {
      assert.ok(existsSync(join(root, file)), `missing ${file}`);
    }
    for (const file of [
      "src",
      "test",
      "out/test",
      "samples",
      "node_modules/typescript",
      "node_modules/@node-llama-cpp/linux-x64-cuda",
      "out/extension.js.map",
    ]) {
      assert.ok(!existsSync(join(root, file)), `should not ship ${file}`);
    }
  });
});
