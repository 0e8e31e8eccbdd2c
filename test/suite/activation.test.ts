import assert from "node:assert/strict";
import * as vscode from "vscode";
import type { RuntimeInfo } from "../../src/protocol/modelWorker";
import type { InternalStats } from "../../src/commands";
import { extensionId, openInEditor, waitFor } from "./helpers";

describe("activation", () => {
  it("stays inactive until a JSON Lines document opens, then activates", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is installed`);
    assert.equal(extension.isActive, false, "nothing should activate the extension before a .jsonl file opens");
    const editor = await openInEditor("alpaca.jsonl");
    assert.equal(editor.document.languageId, "jsonl");
    await waitFor("activation", () => extension.isActive);
    const stats = await vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
    assert.ok(stats.activationMs > 0 && stats.activationMs < 2_000, `activation took ${stats.activationMs} ms`);
    console.log(`activation: ${stats.activationMs.toFixed(2)} ms`);
  });

  it("treats .ndjson files as JSON Lines", async () => {
    const editor = await openInEditor("events.ndjson");
    assert.equal(editor.document.languageId, "jsonl");
  });

  it("loads node-llama-cpp's native binary in a separate process, not in the extension host", async () => {
    const info = await vscode.commands.executeCommand<RuntimeInfo>("instructStudio.internal.probeModelRuntime");
    assert.equal(info.backend, "cpu");
    assert.match(info.llamaCppRelease, /\S/);
    assert.notEqual(info.pid, process.pid, "node-llama-cpp must run outside the extension host");
    console.log(`llama.cpp ${info.llamaCppRelease} loaded in ${info.loadMs.toFixed(0)} ms (pid ${info.pid})`);
  });
});
