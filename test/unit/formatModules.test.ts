import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { convertRow } from "../../src/core/convert/convertRow";
import { detectRowFormat } from "../../src/core/formats/detect";
import { formatIds } from "../../src/core/formats/formatLabels";
import { detectionOrder, formatModules } from "../../src/core/formats/registry";
import { summarizeRow } from "../../src/core/formats/summary";
import { instructionAndAnswer } from "../../src/core/generation/promptSide";
import { trainingInput } from "../../src/core/training/trainingInput";
import { diagnose } from "./ruleHelpers";

// One clean row per format, written here.
const examples: Record<string, Record<string, unknown>> = {
  alpaca: { instruction: "Name a prime number.", input: "", output: "Seven." },
  sharegpt: {
    conversations: [
      { from: "human", value: "Hi there" },
      { from: "gpt", value: "Hello! How can I help?" },
    ],
  },
  openai: {
    messages: [
      { role: "user", content: "Hi there" },
      { role: "assistant", content: "Hello! How can I help?" },
    ],
  },
  "prompt-completion": { prompt: "The capital of France is", completion: " Paris." },
  preference: { prompt: "Say hi.", chosen: "Hi!", rejected: "No." },
  kto: { prompt: "Say hi.", completion: "Hi!", label: true },
  s1k: { question: "What is 2+2?", solution: "4", thinking_trajectories: ["2 plus 2 is 4."], attempt: "4", cot_type: "math", source_type: "test" },
  genstruct: { title: "Tides", content: "Tides are caused by the Moon's gravity." },
  "self-instruct": { name: "prime", instruction: "Name a prime number.", instances: [{ input: "", output: "Seven." }], is_classification: false },
  "input-output": {
    segments: [
      { label: false, text: "<user> Say hi. </user>\n" },
      { label: true, text: "Hi!" },
    ],
  },
  text: { text: "A paragraph of text to train on." },
};

describe("one module per format", () => {
  it("every format id has a module, recognised in the detection order, that reads its own rows cleanly", () => {
    assert.deepEqual(Object.keys(formatModules).sort(), [...formatIds].sort());
    assert.deepEqual(detectionOrder.map((m) => m.id).sort(), [...formatIds].sort());
    for (const id of formatIds) {
      const row = examples[id];
      assert.equal(detectRowFormat(row), id, id);
      assert.deepEqual(diagnose(row), [], id);
      assert.ok(summarizeRow(row).parts.length > 0, id);
      assert.ok(trainingInput(id, row), id);
      assert.equal(typeof instructionAndAnswer(row, id, undefined, undefined).instruction, "string");
    }
  });

  it("reads Axolotl's input_output segments: each tokenized alone, trained where label is true", async () => {
    const { previewRow } = await import("../../src/core/training/rowPreview");
    const { previewSetup } = await import("../../src/core/training/previewSetup");
    const { trainingSettings } = await import("../../src/core/training/trainingSettings");
    const row = {
      segments: [
        { label: false, text: "Q: capital of France?\n" },
        { label: true, text: "A: Paris." },
        { label: false, text: "\nQ: and Spain?\n" },
        { label: true, text: "A: Madrid." },
      ],
    };
    const view = previewRow(row, previewSetup({}), trainingSettings({}, undefined), { format: "input-output" });
    assert.equal(view.text, row.segments.map((s) => s.text).join(""));
    assert.deepEqual(
      view.segments.filter((s) => s.trainable).map((s) => s.text.trim()),
      ["A: Paris.", "A: Madrid."],
    );
    assert.match(view.templateLabel, /input-output segments/);
    assert.ok(!view.warnings.some((w) => /chat template/i.test(w)), "no chat-template note on a row that uses none");
    assert.deepEqual(
      diagnose({ segments: [{ label: true, text: "" }] }, { fileFormat: "input-output" }).map((d) => d.rule),
      ["empty-output"],
    );
  });

  it("converts Alpaca, ShareGPT and OpenAI messages into each other through their modules, losing nothing", () => {
    const alpaca = { instruction: "Translate: good morning", input: "Korean", output: "좋은 아침", system: "You translate.", history: [["Hi", "Hello"]] };
    const sharegpt = convertRow(alpaca, "sharegpt");
    assert.ok("row" in sharegpt);
    assert.deepEqual(sharegpt.row, {
      conversations: [
        { from: "system", value: "You translate." },
        { from: "human", value: "Hi" },
        { from: "gpt", value: "Hello" },
        { from: "human", value: "Translate: good morning\nKorean" },
        { from: "gpt", value: "좋은 아침" },
      ],
    });
    const openai = convertRow(sharegpt.row, "openai");
    assert.ok("row" in openai);
    const back = convertRow(openai.row, "alpaca");
    assert.deepEqual(back, {
      row: { instruction: "Translate: good morning\nKorean", input: "", output: "좋은 아침", system: "You translate.", history: [["Hi", "Hello"]] },
    });
    assert.deepEqual(convertRow(examples.s1k, "alpaca"), { skipped: "s1k rows are not Alpaca, ShareGPT or OpenAI messages" });
    assert.deepEqual(
      convertRow(
        {
          messages: [
            { role: "user", content: "x" },
            { role: "tool", content: "y" },
          ],
        },
        "alpaca",
      ),
      { skipped: "tool calls and results have no equivalent in the other formats" },
    );
  });
});
