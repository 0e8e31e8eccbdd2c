import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as vscode from "vscode";
import type { InternalStats } from "../../src/commands";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { previewSetup } from "../../src/core/training/previewSetup";
import { previewConfigured, previewRow } from "../../src/core/training/rowPreview";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import type { RenderedReport, TrainingReport } from "../../src/protocol/webview";
import { moveCursor, openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

const stats = () => vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
const preview = () => vscode.workspace.getConfiguration("instructStudio.preview");
const setPreview = (key: string, value: unknown) => preview().update(key, value, vscode.ConfigurationTarget.Workspace);

async function trainingOf(
  file: string,
  line: number,
  accept: (t: TrainingReport, r: RenderedReport) => boolean = () => true,
): Promise<TrainingReport & { report: RenderedReport }> {
  const uri = workspaceFile(file).toString();
  return waitFor(
    `the training view of ${file}:${line + 1}`,
    async () => {
      const report = (await stats()).previewRendered;
      return report?.uri === uri && report.line === line && report.training && accept(report.training, report) ? { ...report.training, report } : undefined;
    },
    60_000,
  );
}

/** What the core computes for a row, to compare with what the panel draws. */
function expected(file: string, line: number, tokenizerDir?: string, template?: string) {
  const text = readFileSync(workspaceFile(file).fsPath, "utf8").split("\n")[line] as string;
  const setup = previewSetup({ tokenizer: tokenizerDir ? loadTokenizerFolder(tokenizerDir) : undefined, template });
  return previewRow(JSON.parse(text), setup, trainingSettings({}));
}

describe("preview panel: what the trainer sees", () => {
  before(async () => {
    await vscode.commands.executeCommand("instructStudio.showPreview");
  });
  afterEach(async () => {
    for (const key of ["tokenizer", "template", "timeoutSeconds"]) await setPreview(key, undefined);
    await vscode.workspace.getConfiguration("instructStudio").update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
  });

  it("renders through a tokenizer folder's own template: exact tokens and trained ones, in a separate process", async () => {
    assert.ok(vscode.workspace.isTrusted, "the test workspace is trusted");
    await setPreview("tokenizer", "models/qwen3");
    const editor = await openInEditor("sharegpt.jsonl", 0);
    await vscode.commands.executeCommand("instructStudio.showPreview");
    await vscode.window.showTextDocument(editor.document);
    const want = expected("sharegpt.jsonl", 0, workspaceFile("models/qwen3").fsPath);
    const training = await trainingOf("sharegpt.jsonl", 0, (t) => !t.approximate);
    assert.equal(training.tokenElements, want.tokens.length);
    assert.equal(training.trainedElements, want.trainableTokens);
    assert.equal(training.figures, `${want.tokens.length} tokens · ${want.trainableTokens} trained · ${want.tokens.length - want.trainableTokens} masked`);
    assert.equal(training.firstTokenTitle, `token 1 · id ${want.tokens[0].id} · masked · system`);
    const { previewWorkerPid, extensionHostPid } = await stats();
    assert.ok(previewWorkerPid && previewWorkerPid !== extensionHostPid);
    await screenshot("training-sharegpt-qwen3");

    moveCursor(editor, 1);
    const moved = await trainingOf("sharegpt.jsonl", 1);
    assert.equal(moved.tokenElements, expected("sharegpt.jsonl", 1, workspaceFile("models/qwen3").fsPath).tokens.length);
    assert.match(moved.warnings.join("\n"), /Turn 2 \(assistant\): Axolotl trains shifted tokens here/);
  });

  it("reads a GGUF's vocabulary and chat template with llama.cpp", async () => {
    await setPreview("tokenizer", "models/llama3_1.gguf");
    const editor = await openInEditor("openai-messages.jsonl", 0);
    await vscode.window.showTextDocument(editor.document);
    const training = await trainingOf("openai-messages.jsonl", 0, (t) => !t.approximate && t.tokenElements > 0);
    assert.ok(training.report.text.includes("llama3_1.gguf"));
    assert.ok(training.report.text.includes("<|start_header_id|>"));
    await screenshot("training-openai-gguf");
  });

  const samples: Array<[string, string]> = [
    ["alpaca.jsonl", "Alpaca prompt"],
    ["sharegpt.jsonl", '"conversations" turns'],
    ["openai-messages.jsonl", '"messages" turns'],
    ["reasoning-think.jsonl", '"messages" turns'],
    ["s1k.jsonl", "s1K layout"],
    ["preference.jsonl", "prompt + chosen"],
  ];
  const sources: Array<[string, () => Thenable<void>]> = [
    ["a tokenizer folder", () => setPreview("tokenizer", "models/qwen3")],
    ["a GGUF", () => setPreview("tokenizer", "models/llama3_1.gguf")],
    [
      "an Axolotl config",
      () => vscode.workspace.getConfiguration("instructStudio").update("trainingConfig", "fixtures/axolotl-qwen3.yml", vscode.ConfigurationTarget.Workspace),
    ],
  ];
  for (const [source, configure] of sources) {
    it(`shows every sample format through the mapping the trainer uses, with ${source}`, async () => {
      await configure();
      for (const [file, mapping] of samples) {
        const editor = await openInEditor(file, 0);
        await vscode.window.showTextDocument(editor.document);
        const training = await trainingOf(file, 0, (t, r) => t.tokenElements > 0 && r.text.includes(mapping));
        assert.ok(training.trainedElements > 0 && training.trainedElements < training.tokenElements, `${file}: ${training.figures}`);
        assert.equal(training.approximate, source === "an Axolotl config", file);
        if (file === "s1k.jsonl") await screenshot(`training-s1k-${source.split(" ").at(-1)}`);
      }
    });
  }

  it("an Axolotl config sets the template and the limit; over sequence_len is shown", async () => {
    await vscode.workspace.getConfiguration("instructStudio").update("trainingConfig", "fixtures/axolotl-chatml.yml", vscode.ConfigurationTarget.Workspace);
    const editor = await openInEditor("fixtures/s1k-formatted.jsonl", 0);
    await vscode.window.showTextDocument(editor.document);
    const training = await trainingOf("fixtures/s1k-formatted.jsonl", 0, (t) => t.overLimit);
    assert.match(training.figures, /^≈\d+ tokens \/ 16 sequence_len/);
    assert.ok(training.report.text.includes("built-in rendering of Axolotl's chatml (ChatML), from the training config"));
    assert.ok(training.trainedElements > 0);
    await screenshot("training-over-limit");
  });

  it("a config naming one of Axolotl's templates renders with its built-in rendering, or with the user's own Axolotl's file, and says which", async () => {
    const config = vscode.workspace.getConfiguration("instructStudio");
    await setPreview("tokenizer", "models/qwen3");
    const yaml =
      "chat_template: qwen3\ndatasets:\n  - path: ./sharegpt.jsonl\n    type: chat_template\n    field_messages: conversations\n    message_property_mappings:\n      role: from\n      content: value\n";
    await vscode.workspace.fs.writeFile(workspaceFile("axolotl-named.yml"), Buffer.from(yaml));
    await config.update("trainingConfig", "axolotl-named.yml", vscode.ConfigurationTarget.Workspace);
    const editor = await openInEditor("sharegpt.jsonl", 0);
    await vscode.window.showTextDocument(editor.document);
    const builtin = await trainingOf("sharegpt.jsonl", 0, (t, r) => !t.approximate && r.text.includes("built-in rendering of Axolotl's qwen3"));
    const row = JSON.parse(readFileSync(workspaceFile("sharegpt.jsonl").fsPath, "utf8").split("\n")[0]);
    const tokenizer = loadTokenizerFolder(workspaceFile("models/qwen3").fsPath);
    const want = previewConfigured(row, { tokenizer, config: parseTrainingConfig(yaml) });
    assert.equal(builtin.tokenElements, want.tokens.length);
    assert.equal(builtin.trainedElements, want.trainableTokens);
    await screenshot("training-axolotl-builtin-qwen3");

    // The user's own Axolotl (here a stand-in folder holding a qwen3.jinja) wins over the built-in.
    const templates = workspaceFile("my-axolotl/utils/chat_templates/templates");
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(templates, "qwen3.jinja"),
      Buffer.from("{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"),
    );
    await config.update("axolotl.path", "my-axolotl", vscode.ConfigurationTarget.Workspace);
    try {
      const own = await trainingOf("sharegpt.jsonl", 0, (_t, r) =>
        r.text.includes(`Axolotl template from ${vscode.Uri.joinPath(templates, "qwen3.jinja").fsPath}`),
      );
      assert.notEqual(own.tokenElements, builtin.tokenElements, "rendered with the other file");
      await screenshot("training-axolotl-own-qwen3");
    } finally {
      await config.update("axolotl.path", undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it("labels token figures approximate when no tokenizer is configured", async () => {
    await setPreview("template", "llama3");
    const editor = await openInEditor("sharegpt.jsonl", 0);
    await vscode.window.showTextDocument(editor.document);
    const training = await trainingOf("sharegpt.jsonl", 0, (t, r) => t.approximate && r.text.includes("Axolotl's llama3 (Llama 3) (built-in)"));
    assert.match(training.figures, /^≈/);
    assert.equal(training.trainedElements, expected("sharegpt.jsonl", 0, undefined, "llama3").trainableTokens);
  });

  it("stops a template that never ends; the editor keeps answering", async () => {
    await setPreview("timeoutSeconds", 2);
    await setPreview("template", "fixtures/templates/loops-forever.jinja");
    const editor = await openInEditor("sharegpt.jsonl", 0);
    await vscode.window.showTextDocument(editor.document);
    const started = Date.now();
    await stats();
    assert.ok(Date.now() - started < 1000, "the extension host answers while the template runs");
    const training = await trainingOf("sharegpt.jsonl", 0, (t) => t.error !== undefined);
    assert.match(training.error ?? "", /took too long on this row and was stopped after 2 s/);
    await screenshot("training-template-stopped");
    await setPreview("template", "chatml");
    await trainingOf("sharegpt.jsonl", 0, (t) => t.tokenElements > 0);
  });

  it("a conversation of 1,000 turns through Qwen3's template gets its exact masks within the preview's default 20 s", async () => {
    await setPreview("tokenizer", "models/qwen3");
    // Timed from an idle preview with the tokenizer loaded: the render alone has the 10 s.
    const small = await openInEditor("sharegpt.jsonl", 0);
    await vscode.window.showTextDocument(small.document);
    await trainingOf("sharegpt.jsonl", 0, (t) => !t.approximate);
    const messages = Array.from({ length: 1000 }, (_, i) => ({
      role: i % 2 ? "assistant" : "user",
      content: i % 2 ? `Answer ${i}: 오늘은 날씨가 좋습니다, and so on.` : `Question ${i}?`,
    }));
    await vscode.workspace.fs.writeFile(workspaceFile("long-conversation.jsonl"), Buffer.from(`${JSON.stringify({ messages })}\n`));
    const editor = await openInEditor("long-conversation.jsonl", 0);
    const started = Date.now();
    await vscode.window.showTextDocument(editor.document);
    const training = await trainingOf("long-conversation.jsonl", 0, (t) => !t.approximate || t.error !== undefined);
    const ms = Date.now() - started;
    assert.equal(training.error, undefined);
    const want = expected("long-conversation.jsonl", 0, workspaceFile("models/qwen3").fsPath);
    console.log(`1,000 turns: ${want.tokens.length} tokens, ${want.trainableTokens} trained, shown after ${ms} ms`);
    assert.equal(training.tokenElements, want.tokens.length);
    assert.equal(training.trainedElements, want.trainableTokens);
    await screenshot("training-1000-turns");
  });

  it("a row whose text is HTML shows it as tokens of text and runs nothing", async () => {
    await setPreview("tokenizer", "models/qwen3");
    const uri = workspaceFile("html-tokens.jsonl");
    const row = {
      messages: [
        { role: "user", content: "<script>window.parent.postMessage('pwned','*')</script><img src=x onerror=\"document.body.innerHTML='pwned'\">" },
        { role: "assistant", content: "Markup, shown as text." },
      ],
    };
    await vscode.workspace.fs.writeFile(uri, Buffer.from(`${JSON.stringify(row)}\n`));
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    moveCursor(editor, 0);
    const training = await trainingOf("html-tokens.jsonl", 0, (t) => t.tokenElements > 0);
    assert.equal(training.report.scriptElements, 0);
    assert.equal(training.report.imageElements, 0);
    assert.ok(training.report.text.includes("<script>window.parent.postMessage('pwned','*')</script>"));
    await screenshot("training-html-as-text");
  });
});
