import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as vscode from "vscode";
import type { InternalStats } from "../../src/commands";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { previewConfigured } from "../../src/core/training/rowPreview";
import type { RenderedReport } from "../../src/protocol/webview";
import { openInEditor, screenshot, waitFor, workspaceFile } from "./helpers";

const stats = () => vscode.commands.executeCommand<InternalStats>("instructStudio.internal.stats");
const settings = () => vscode.workspace.getConfiguration("instructStudio");
const row = "fixtures/trainers/panel-row.jsonl";

/** What the core says the trainer builds from the row with this config and the workspace's Qwen3 tokenizer. */
function expectedWith(configFile: string) {
  const configPath = workspaceFile(configFile).fsPath;
  const config = parseTrainingConfig(readFileSync(configPath, "utf8"));
  const value = JSON.parse(readFileSync(workspaceFile(row).fsPath, "utf8").split("\n")[0]);
  return previewConfigured(value, { tokenizer: loadTokenizerFolder(workspaceFile("models/qwen3").fsPath), config, configDir: dirname(configPath) });
}

async function panelWith(configFile: string, trainer: RegExp): Promise<RenderedReport> {
  await settings().update("trainingConfig", configFile, vscode.ConfigurationTarget.Workspace);
  const uri = workspaceFile(row).toString();
  return waitFor(
    `the panel with ${configFile}`,
    async () => {
      const report = (await stats()).previewRendered;
      return report?.uri === uri && report.training && !report.training.approximate && trainer.test(report.text) ? report : undefined;
    },
    60_000,
  );
}

describe("the preview shows each trainer's own text and trained tokens", () => {
  before(async () => {
    await vscode.workspace.getConfiguration("instructStudio.preview").update("tokenizer", "models/qwen3", vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand("instructStudio.showPreview");
    const editor = await openInEditor(row, 0);
    await vscode.window.showTextDocument(editor.document);
  });
  after(async () => {
    await settings().update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration("instructStudio.preview").update("tokenizer", undefined, vscode.ConfigurationTarget.Workspace);
  });

  const cases: Array<[string, string, RegExp]> = [
    ["Axolotl", "fixtures/axolotl-qwen3.yml", /Trainer: Axolotl, as Axolotl main of 2026-07-24 .*\(chosen by the training config's chat_template/],
    [
      "LLaMA-Factory",
      "fixtures/trainers/panel-llama-factory.yml",
      /Trainer: LLaMA-Factory, as LLaMA-Factory 0\.9\.6\.dev0 \(ff6d4d12\) does it \(chosen by the training config's stage, template, cutoff_len\)/,
    ],
    ["TRL", "fixtures/trainers/panel-trl.yml", /Trainer: TRL SFTTrainer, as TRL 1\.13\.0/],
    [
      "Unsloth",
      "fixtures/trainers/panel-unsloth.yml",
      /Trainer: TRL SFTTrainer, as TRL 1\.13\.0 .* then Unsloth's train_on_responses_only as unsloth-zoo 2026\.8\.13/s,
    ],
  ];
  for (const [name, config, trainer] of cases) {
    it(`${name}: the trainer named, its tokens and trained tokens drawn`, async () => {
      const want = expectedWith(config);
      const report = await panelWith(config, trainer);
      const training = report.training!;
      assert.equal(training.tokenElements, want.tokens.length, report.text);
      assert.equal(training.trainedElements, want.trainableTokens);
      await screenshot(`trainer-${name.toLowerCase()}`);
    });
  }

  it("the four differ where the trainers do: LLaMA-Factory trains an empty think block on the first answer, TRL only what the generation blocks mark, Unsloth from header to header", () => {
    const [axolotl, llamaFactory, trl, unsloth] = cases.map(([, config]) => expectedWith(config));
    const trained = (p: typeof axolotl) => p.segments.filter((s) => s.trainable).map((s) => s.text);
    assert.deepEqual(trained(trl), ["<think>\n2 plus 3 is 5.\n</think>\n\n5<|im_end|>", "8<|im_end|>"]);
    assert.ok(
      trained(llamaFactory).some((t) => t.startsWith("<think>\n\n</think>\n\n8")),
      JSON.stringify(trained(llamaFactory)),
    );
    assert.notDeepEqual(trained(axolotl), trained(llamaFactory));
    // Unsloth trains from each assistant header to the next user header or the end: the answers with their <|im_end|> and line break.
    assert.deepEqual(trained(unsloth), ["5<|im_end|>\n", "<think>\n\n</think>\n\n8<|im_end|>\n"]);
  });
});

describe("Check with My Trainer", () => {
  const references = JSON.parse(readFileSync(workspaceFile("fixtures/trainers/trl-references.json").fsPath, "utf8"));
  const cases = JSON.parse(readFileSync(workspaceFile("fixtures/trainers/trl-cases.json").fsPath, "utf8"));
  let venvPython: string;

  before(async () => {
    // A training environment with a stand-in TRL that answers what TRL 1.13.0 gave for this row.
    const venv = mkdtempSync(join(tmpdir(), "check-trl-venv-"));
    execFileSync("python3", ["-m", "venv", "--without-pip", venv]);
    venvPython = join(venv, "bin", "python");
    const site = execFileSync(venvPython, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
    cpSync(workspaceFile("fixtures/fake-trl").fsPath, site, { recursive: true });
    writeFileSync(join(site, "trl", "canned.json"), JSON.stringify({ answer: references.results["qwen3/chat/default"] }));
    writeFileSync(workspaceFile("check-row.jsonl").fsPath, `${JSON.stringify(cases.rows.chat)}\n`);
    await settings().update("python", venvPython, vscode.ConfigurationTarget.Global);
    await settings().update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
    await settings().update("target", "trl", vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration("instructStudio.preview").update("tokenizer", "models/qwen3", vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand("instructStudio.showPreview");
  });
  after(async () => {
    await settings().update("python", undefined, vscode.ConfigurationTarget.Global);
    await settings().update("target", undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.getConfiguration("instructStudio.preview").update("tokenizer", undefined, vscode.ConfigurationTarget.Workspace);
  });

  it("runs the trainer's preprocessing in the selected Python and says the panel's ids and labels are its own", async () => {
    const editor = await openInEditor("check-row.jsonl", 0);
    await vscode.window.showTextDocument(editor.document);
    const uri = workspaceFile("check-row.jsonl").toString();
    // The view of this row with the target setting (not a view left from the tests before).
    await waitFor(
      "the TRL view of the row",
      async () => {
        const report = (await stats()).previewRendered;
        return report?.uri === uri &&
          report.training &&
          !report.training.approximate &&
          /Trainer: TRL SFTTrainer.*chosen by instructStudio\.target/s.test(report.text)
          ? report
          : undefined;
      },
      60_000,
    );
    const result = await vscode.commands.executeCommand<{ agrees: boolean; summary: string; python?: string }>("instructStudio.checkWithTrainer");
    assert.equal(result.python, venvPython);
    assert.equal(result.agrees, true, result.summary);
    assert.match(result.summary, /^TRL 1\.13\.0-fake agrees with the panel: the same 58 ids and labels \(58 trained\)/);
    // The notification slides in after the command returns.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await screenshot("check-with-my-trainer");
  });

  it("runs Axolotl's own chat_template strategy with the training config and agrees on the panel row", async () => {
    const real = JSON.parse(readFileSync(workspaceFile("fixtures/trainers/axolotl-check-reference.json").fsPath, "utf8"));
    const site = execFileSync(venvPython, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
    writeFileSync(join(site, "trl", "canned.json"), JSON.stringify({ axolotl: real.answer, expect_chat_template: "qwen3" }));
    await settings().update("target", undefined, vscode.ConfigurationTarget.Workspace);
    const editor = await openInEditor(row, 0);
    await vscode.window.showTextDocument(editor.document);
    await panelWith("fixtures/axolotl-qwen3.yml", /Trainer: Axolotl/);
    const result = await vscode.commands.executeCommand<{ agrees: boolean; summary: string; python?: string }>("instructStudio.checkWithTrainer");
    assert.equal(result.agrees, true, result.summary);
    assert.match(result.summary, /^Axolotl 0\.16\.0-fake agrees with the panel: the same 50 ids and labels \(15 trained\)/);
    await settings().update("trainingConfig", undefined, vscode.ConfigurationTarget.Workspace);
  });
});
