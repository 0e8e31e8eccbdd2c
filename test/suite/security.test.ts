// Trusted workspaces: a server URL the workspace chose gets the user's API key only after the
// user agrees; the config's hostile numbers are findings on the YAML; requests have a deadline.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import * as vscode from "vscode";
import { startHostileServer } from "../support/hostileServer";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

const section = () => vscode.workspace.getConfiguration("instructStudio");
const state = () =>
  vscode.commands.executeCommand<{ unavailable?: string; model?: string; endpointFromWorkspace: boolean; timeoutMs: number; status: string }>(
    "instructStudio.internal.modelState",
  );
const critique = (line = 0) =>
  vscode.commands.executeCommand<{ refused?: string; score?: number }>("instructStudio.critiqueEntry", { uri: workspaceFile("alpaca.jsonl").toString(), line });

describe("security in a trusted workspace", function () {
  this.timeout(120_000);
  let server: TestServer;
  before(async () => {
    server = await startOpenAiServer();
    process.env.INSTRUCT_STUDIO_API_KEY = "sk-user-secret";
    await section().update("model.idleUnloadMinutes", 0, vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    delete process.env.INSTRUCT_STUDIO_API_KEY;
    for (const key of ["model.endpoint", "model.timeoutSeconds", "trainingConfig"]) {
      await section().update(key, undefined, vscode.ConfigurationTarget.Workspace);
      await section().update(key, undefined, vscode.ConfigurationTarget.Global);
    }
    await section().update("model.idleUnloadMinutes", undefined, vscode.ConfigurationTarget.Global);
    await server.close();
  });

  it("a server the workspace's settings chose gets no API key and no row until the user agrees", async () => {
    await section().update("model.endpoint", server.url, vscode.ConfigurationTarget.Workspace);
    await waitFor("the workspace's endpoint", async () => ((await state()).endpointFromWorkspace ? true : undefined));
    await openInEditor("alpaca.jsonl");
    const before = server.requests.length;
    // The question is a modal dialog; a test run's workbench refuses dialogs and names the one it
    // refused, so its words are checked here, and the refusal is the user not saying yes.
    const result = await critique();
    assert.match(
      result?.refused ?? "",
      new RegExp(
        `refused to show dialog in tests\\. Contents: This workspace's settings send model requests to ${server.url.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}\\. Send your INSTRUCT_STUDIO_API_KEY to it\\?`,
      ),
    );
    assert.equal(server.requests.length, before, "a request reached the workspace's server");
  });

  it("a server the user chose gets the key", async () => {
    await section().update("model.endpoint", undefined, vscode.ConfigurationTarget.Workspace);
    await section().update("model.endpoint", server.url, vscode.ConfigurationTarget.Global);
    await waitFor("the user's endpoint", async () => {
      const now = await state();
      return now.model === server.url && !now.endpointFromWorkspace ? true : undefined;
    });
    const result = await critique();
    assert.ok(result?.score, JSON.stringify(result));
    assert.equal(server.requests.at(-1)?.authorization, "Bearer sk-user-secret");
    assert.match((await state()).status, /127\.0\.0\.1:\d+ · server · ready$/);
  });

  it("the status bar says a server that stopped is unreachable, and ready again once it answers", async () => {
    const gone = await startOpenAiServer();
    await gone.close();
    await section().update("model.endpoint", gone.url, vscode.ConfigurationTarget.Global);
    await waitFor("the stopped server's endpoint", async () => ((await state()).model === gone.url ? true : undefined));
    assert.match((await state()).status, /· server · not contacted yet$/);
    const result = await critique();
    assert.match(result?.refused ?? "", /Cannot reach the model server/);
    assert.match((await state()).status, /· server · \$\(warning\) unreachable$/);
    await screenshot("model-server-unreachable");
    await section().update("model.endpoint", server.url, vscode.ConfigurationTarget.Global);
    await waitFor("the running server's endpoint", async () => ((await state()).model === server.url ? true : undefined));
    assert.ok((await critique())?.score);
    assert.match((await state()).status, /· server · ready$/);
  });

  it("a request past instructStudio.model.timeoutSeconds stops with a message naming it", async () => {
    const hostile = await startHostileServer("empty-deltas");
    try {
      await section().update("model.endpoint", hostile.url, vscode.ConfigurationTarget.Global);
      await section().update("model.timeoutSeconds", 2, vscode.ConfigurationTarget.Global);
      await waitFor("the hostile endpoint", async () => {
        const now = await state();
        return now.model === hostile.url && now.timeoutMs === 2000 ? true : undefined;
      });
      const started = Date.now();
      const result = await critique();
      assert.match(result?.refused ?? "", /no complete reply within 2 s, the longest a request may take \(instructStudio\.model\.timeoutSeconds\)/);
      assert.ok(Date.now() - started < 20_000);
    } finally {
      await hostile.close();
    }
  });

  it("a training config's hostile numbers are errors on the YAML, each naming its key", async () => {
    const config = workspaceFile("hostile-numbers.yml");
    writeFileSync(
      config.fsPath,
      "base_model: Qwen/Qwen3-0.6B\ndatasets:\n  - path: ./alpaca.jsonl\n    type: alpaca\nsequence_len: .inf\nmicro_batch_size: 1e300\ngradient_accumulation_steps: abc\nnum_epochs: 0\nwarmup_ratio: 5\n",
    );
    await section().update("trainingConfig", "hostile-numbers.yml", vscode.ConfigurationTarget.Workspace);
    const diagnostics = await waitFor("the config's findings", () => {
      const found = vscode.languages.getDiagnostics(config);
      return found.length === 5 ? found : undefined;
    });
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.severity]),
      ["sequence_len", "micro_batch_size", "gradient_accumulation_steps", "num_epochs", "warmup_ratio"].map((key, i) => [
        key,
        4 + i,
        vscode.DiagnosticSeverity.Error,
      ]),
    );
    assert.match(diagnostics[0].message, /sequence_len: \.inf is not a whole number/);
    await vscode.window.showTextDocument(config);
    await vscode.commands.executeCommand("workbench.actions.view.problems");
    await screenshot("config-hostile-numbers");
    await section().update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
    await waitFor("the findings to go with the config", () => (vscode.languages.getDiagnostics(config).length === 0 ? true : undefined));
  });
});
