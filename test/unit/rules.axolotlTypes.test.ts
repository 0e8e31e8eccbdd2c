import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { detectRowFormat } from "../../src/core/formats/detect";
import { mappingOf } from "../../src/core/formats/instructionTypes";
import { trainingInput } from "../../src/core/training/trainingInput";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { diagnose, rulesOf } from "./ruleHelpers";

// Rows in the shape of the datasets Axolotl's instruction types read, written here.
const oasst = {
  INSTRUCTION: "Explain photosynthesis in one sentence.",
  RESPONSE: "Plants turn light, water and CO2 into sugar and oxygen.",
  SOURCE: "oasst1",
  METADATA: null,
};
const choice = {
  question: "Which planet is largest?",
  choices: ["Mars", "Jupiter", "Venus"],
  solution: "Jupiter",
  explanation: "Jupiter is the largest planet.",
};
const tldr = {
  article: "The city council voted on Tuesday to extend the tram line to the airport by 2027.",
  summary: "Tram line to reach the airport by 2027.",
};
const contextQa = {
  article: "Ada Lovelace wrote the first published algorithm in 1843.",
  question: "When did Ada Lovelace publish her algorithm?",
  answer: "In 1843.",
};

describe("Axolotl instruction types beyond Alpaca", () => {
  it("reads OASST, multiple-choice, TL;DR and context-QA rows by their own keys, clean when complete", () => {
    for (const row of [oasst, choice, tldr, contextQa]) {
      assert.equal(detectRowFormat(row), "alpaca");
      assert.deepEqual(diagnose(row), [], JSON.stringify(row));
    }
  });

  it("names the type and its key when one is missing or of the wrong type", () => {
    const missing = diagnose({ INSTRUCTION: "Say hi." });
    assert.deepEqual(rulesOf(missing), ["missing-field"]);
    assert.equal(missing[0].message, "An OpenAssistant row has no `RESPONSE`; add it.");
    assert.deepEqual(rulesOf(diagnose({ ...choice, choices: "Mars, Jupiter" })), ["wrong-type"]);
    assert.deepEqual(rulesOf(diagnose({ ...oasst, RESPONSE: "" })), ["empty-output"]);
    const { solution: _solution, ...explanationOnly } = choice;
    assert.deepEqual(diagnose(explanationOnly), [], "Axolotl reads the explanation when there is no solution");
  });

  it("previews them as Axolotl builds them (its parse_instruction_fields into the Alpaca prompt)", () => {
    const mc = trainingInput("alpaca", choice);
    assert.equal(mc?.kind, "text");
    assert.match(
      mc!.kind === "text" ? mc.prompt : "",
      /### Instruction:\nWhich planet is largest\?\n\n### Input:\n- "Mars"\n- "Jupiter"\n- "Venus"\n\n### Response:\n$/,
    );
    assert.equal(mc!.kind === "text" ? mc.completion : "", "Jupiter");
    const qa = trainingInput("alpaca", contextQa);
    assert.match(
      qa?.kind === "text" ? qa.prompt : "",
      /### Instruction:\nAda Lovelace wrote the first published algorithm in 1843\.\n===\nWhen did Ada Lovelace publish her algorithm\?\n\n### Response:\n$/,
    );
  });

  it("a config's type picks the layout: oasst, a custom type: mapping with its format, completion with field", () => {
    const custom = parseTrainingConfig(
      `datasets:\n  - path: data.jsonl\n    type:\n      field_system: sys\n      field_instruction: ask\n      field_output: reply\n      format: "[INST] {instruction} [/INST]"\n      system_format: "<<SYS>>{system}<</SYS>>\\n"\n`,
    );
    assert.equal(custom.format, "alpaca");
    assert.equal(custom.instructionType?.name, "custom");
    const row = { sys: "Be brief.", ask: "Capital of France?", reply: "Paris." };
    const validator = new DocumentValidator({ format: custom.format, ...mappingOf(custom) });
    validator.setText(`${JSON.stringify(row)}\n${JSON.stringify({ ask: "Capital of Spain?", repyl: "Madrid." })}`);
    const found = validator.diagnostics();
    assert.deepEqual(found.map((d) => `${d.line} ${d.rule}`).sort(), ["1 missing-field", "1 unknown-key"]);
    assert.match(found.find((d) => d.rule === "unknown-key")!.message, /did you mean `reply`\?/);
    const input = trainingInput("alpaca", row, mappingOf(custom));
    assert.equal(input?.kind === "text" ? input.prompt : "", "<<SYS>>Be brief.<</SYS>>\n[INST] Capital of France? [/INST]");

    const completion = parseTrainingConfig("datasets:\n  - path: corpus.jsonl\n    type: completion\n    field: content\n");
    assert.equal(completion.textField, "content");
    const corpus = new DocumentValidator({ format: completion.format, ...mappingOf(completion) });
    corpus.setText(`${JSON.stringify({ content: "A paragraph of pretraining text." })}\n${JSON.stringify({ text: "wrong key" })}`);
    assert.deepEqual(
      corpus
        .diagnostics()
        .map((d) => `${d.line} ${d.rule}`)
        .sort(),
      ["1 missing-field", "1 unused-key"],
    );
    const text = trainingInput("text", { content: "A paragraph." }, mappingOf(completion));
    assert.equal(text?.kind === "text" ? text.completion : "", "A paragraph.");

    assert.equal(parseTrainingConfig("datasets:\n  - path: o.jsonl\n    type: oasst\n").instructionType?.name, "oasst");
    assert.equal(parseTrainingConfig("datasets:\n  - path: s.jsonl\n    type: input_output\n").format, "input-output");
    assert.equal(parseTrainingConfig("datasets:\n  - path: q.jsonl\n    type: context_qa.load_v2\n").instructionType?.name, "context_qa");
  });
});
