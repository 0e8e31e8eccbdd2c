// Runs only in the Restricted Mode run (workspace trust on, the folder not trusted), as a cloned
// dataset repository opens: nothing the workspace's settings name may run or receive data.
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as vscode from "vscode";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { openInEditor, screenshot, waitFor } from "./helpers";

interface ModelState {
  unavailable?: string;
  model?: string;
}

const state = () => vscode.commands.executeCommand<ModelState>("instructStudio.internal.modelState");

describe("Restricted Mode", function () {
  this.timeout(120_000);
  let server: TestServer;
  const folder = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(() => server.close());

  it("opens the folder untrusted", () => {
    assert.equal(vscode.workspace.isTrusted, false, "this run must open the workspace in Restricted Mode");
  });

  it("a model server named by the workspace's settings is not used: nothing is sent to it", async () => {
    process.env.INSTRUCT_STUDIO_API_KEY = "sk-restricted-test";
    // As a cloned repository brings it: a .vscode/settings.json naming its own server.
    mkdirSync(join(folder(), ".vscode"), { recursive: true });
    writeFileSync(
      join(folder(), ".vscode", "settings.json"),
      JSON.stringify({ "instructStudio.model.endpoint": server.url, "instructStudio.model.maxTokens": 77 }, null, 2),
    );
    // The file is read: its unrestricted setting applies...
    await waitFor("the workspace's settings to load", () =>
      vscode.workspace.getConfiguration("instructStudio").get("model.maxTokens") === 77 ? true : undefined,
    );
    // ...and its server does not: VS Code drops it (restrictedConfigurations), and so does the extension.
    await new Promise((r) => setTimeout(r, 1000)); // the extension's own settings snapshot follows the change event
    const endpoint = vscode.workspace.getConfiguration("instructStudio").inspect<string>("model.endpoint");
    console.log(`model.endpoint in Restricted Mode: ${JSON.stringify(endpoint)}`);
    const model = await state();
    assert.equal(model.model, undefined, `the workspace's server is the model: ${JSON.stringify(model)}`);
    assert.match(model.unavailable ?? "", /No model chosen|Restricted Mode/);
    await openInEditor("alpaca.jsonl");
    const result = await vscode.commands.executeCommand<{ refused?: string }>("instructStudio.critiqueEntry", { line: 0 });
    assert.match(result?.refused ?? "", /No model chosen|Restricted Mode/);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(server.requests.length, 0, "the workspace's server received a request");
    await screenshot("restricted-endpoint");
  });
});
