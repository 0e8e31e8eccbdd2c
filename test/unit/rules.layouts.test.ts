import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { trainingInput } from "../../src/core/training/trainingInput";
import { validateLines } from "../../src/core/validate/streamValidator";
import { diagnose, only, rulesOf } from "./ruleHelpers";

// Rows in the shape of LLaMA-Factory's data/ files (written here, not copied).
const sharegptPreference = (question: string) => ({
  conversations: [{ from: "human", value: question }],
  chosen: { from: "gpt", value: "A careful answer." },
  rejected: { from: "gpt", value: "" },
});
const parts = (question: string, answer: string) => ({
  messages: [
    { role: "user", content: [{ type: "image" }, { type: "text", value: question }] },
    { role: "assistant", content: [{ type: "text", value: answer }] },
  ],
  images: ["img/1.png"],
});

async function lint(rows: unknown[]) {
  const lines = rows.map((row, i) => ({ lineNumber: i + 1, text: JSON.stringify(row), byteLength: 0, invalidUtf8: false, tooLong: false, eol: "\n" as const }));
  const found = [];
  for await (const d of validateLines(
    (async function* () {
      yield* lines;
    })(),
  ))
    found.push(d);
  return found;
}

describe("LLaMA-Factory layouts", () => {
  it("ShareGPT preference rows: the answers are chosen and rejected, checked as answers", () => {
    const found = diagnose(sharegptPreference("Which is better?"));
    assert.deepEqual(only(found, "no-assistant-turn"), []);
    assert.deepEqual(only(found, "message-count"), []);
    const [empty] = only(found, "empty-output");
    assert.ok(empty, rulesOf(found).join(", "));
    assert.match(empty.message, /rejected\.value/);
  });

  it("content given as parts with `value`: read as text (not empty, not all duplicates of row 1)", async () => {
    const rows = [parts("What is in the picture?", "A cat."), parts("Count the birds.", "Three."), parts("What colour is the car?", "Red.")];
    assert.deepEqual(only(diagnose(rows[0]), "empty-content"), []);
    assert.deepEqual(only(diagnose(rows[0]), "unused-key"), []);
    const found = await lint(rows);
    assert.deepEqual(
      found.filter((d) => d.rule === "duplicate-row" || d.rule === "near-duplicate"),
      [],
    );
    const repeated = await lint([rows[0], rows[0]]);
    assert.equal(repeated.filter((d) => d.rule === "duplicate-row").length, 1);
    // An empty text part is still empty content.
    assert.equal(only(diagnose(parts("Q?", " ")), "empty-content").length, 1);
  });

  it("KTO tags and TRL's label, tools as a JSON string, function_call and observation turns", () => {
    const kto = {
      conversations: [
        { from: "human", value: "Hi" },
        { from: "gpt", value: "Hello" },
      ],
      kto_tag: false,
    };
    assert.deepEqual(rulesOf(diagnose(kto)), []);
    const unpaired = {
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello" },
      ],
      label: true,
    };
    assert.deepEqual(rulesOf(diagnose(unpaired)), []);
    const tools = {
      conversations: [
        { from: "human", value: "Weather in Paris?" },
        { from: "function_call", value: '{"name": "weather", "arguments": {"city": "Paris"}}' },
        { from: "observation", value: '{"sky": "clear"}' },
        { from: "gpt", value: "It is clear in Paris." },
      ],
      tools: '[{"name": "weather", "description": "Current weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}]',
    };
    assert.deepEqual(rulesOf(diagnose(tools)), []);
  });
});

describe("Axolotl's gpteacher type", () => {
  const gpteacher = (response: string) => ({ instruction: "Summarise the text.", input: "The cat sat on the mat all day.", response });

  it("instruction, input and response: read as Alpaca with response as the answer", () => {
    assert.deepEqual(rulesOf(diagnose(gpteacher("A cat spent the day on a mat."))), []);
    const [empty] = only(diagnose(gpteacher("")), "empty-output");
    assert.match(empty.message, /`response` is empty/);
    const input = trainingInput("alpaca", gpteacher("A cat spent the day on a mat."));
    assert.ok(input && input.kind === "text");
    assert.equal(input.completion, "A cat spent the day on a mat.");
    assert.match(input.mapping, /type: gpteacher/);
    assert.equal(parseTrainingConfig("datasets:\n  - path: ./g.jsonl\n    type: gpteacher\n").format, "alpaca");
  });
});
