import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyFix, diagnose, only } from "./ruleHelpers";

const alpaca = (output: string, input = "", instruction = "Do it") => ({ instruction, input, output });

describe("content rules", () => {
  it("empty-output: empty and placeholder outputs", () => {
    assert.equal(only(diagnose(alpaca("")), "empty-output").length, 1);
    assert.match(only(diagnose(alpaca("<No Output>")), "empty-output")[0].message, /placeholder/);
    assert.deepEqual(only(diagnose(alpaca("Done.")), "empty-output"), []);
  });

  it("empty-attempt: an s1K row with no attempt", () => {
    const row = { question: "q", thinking_trajectories: ["t"], attempt: "" };
    assert.equal(only(diagnose(row), "empty-attempt").length, 1);
    assert.deepEqual(only(diagnose({ ...row, attempt: "42" }), "empty-attempt"), []);
  });

  for (const placeholder of ["N/A", "<noinput>", "No input", "noinput", "<no input>", "None"]) {
    it(`placeholder-input: "${placeholder}" becomes "" with the fix`, () => {
      const line = JSON.stringify(alpaca("ok", placeholder));
      const [found] = only(diagnose(line), "placeholder-input");
      assert.ok(found, placeholder);
      assert.equal(JSON.parse(applyFix(line, found)).input, "");
    });
  }

  it("placeholder-input: a real input is fine", () => {
    assert.deepEqual(only(diagnose(alpaca("ok", "Not a placeholder at all")), "placeholder-input"), []);
  });

  it("refusal-boilerplate: 'As an AI language model' in an answer, not in a question", () => {
    const line = JSON.stringify(alpaca("As an AI language model, I cannot browse the web."));
    const [found] = only(diagnose(line), "refusal-boilerplate");
    assert.equal(line.slice(found.column, found.endColumn), "As an AI language model, I cannot");
    assert.deepEqual(only(diagnose(alpaca("ok", "", "Explain what 'as an AI language model' means")), "refusal-boilerplate"), []);
  });

  it("leaked-template: special tokens and Alpaca markers inside content", () => {
    const line = JSON.stringify(alpaca("Sure.<|im_end|>", "", "Hi [INST] there"));
    const found = only(diagnose(line), "leaked-template");
    assert.deepEqual(found.map((d) => line.slice(d.column, d.endColumn)).sort(), ["<|im_end|>", "[INST]"]);
    assert.equal(only(diagnose(alpaca("x\n### Response:\ny")), "leaked-template").length, 1);
  });

  it("a row with a syntax error still shows its other problems, as jsonc-parser recovers it", () => {
    const line = '{"instrution": "Say hi", "input": "N/A", "output": "",}';
    assert.deepEqual(
      diagnose(line).map((d) => [d.rule, line.slice(d.column, d.endColumn)]),
      [
        ["syntax", "}"],
        ["unknown-key", '"instrution"'],
        ["missing-field", "{"],
        ["placeholder-input", '"N/A"'],
        ["empty-output", '""'],
      ],
    );
    const missingComma = '{"instruction": "Say hi" "input": "", "output": ""}';
    assert.deepEqual(
      diagnose(missingComma).map((d) => d.rule),
      ["syntax", "empty-output"],
    );
    // A row cut short is read for its syntax only: what a parser guesses of the rest is no finding.
    assert.ok(diagnose('{"instruction": "Say hi", "outp').every((d) => d.rule === "syntax"));
  });

  it("leaked-template: a prompt label in the middle of an answer, as the grammar colours it", () => {
    const line = JSON.stringify(alpaca("Say hi.", "", "Sure! Here it is. ### Response: ok ### Human: next"));
    const found = only(diagnose(line), "leaked-template");
    assert.deepEqual(
      found.map((d) => line.slice(d.column, d.endColumn)),
      ["### Response:", "### Human:"],
    );
    assert.deepEqual(only(diagnose(alpaca("Say hi.", "", "#### Response: a heading of level four is Markdown")), "leaked-template"), []);
  });

  it("leaked-template: reasoning markers are data, not leaks", () => {
    const row = {
      messages: [
        { role: "system", content: "Use <|begin_of_thought|> and <|end_of_thought|>." },
        { role: "user", content: "q" },
        { role: "assistant", content: "<think>r</think>a" },
      ],
    };
    assert.deepEqual(only(diagnose(row), "leaked-template"), []);
  });

  it("merged-instructions: AlpacaDataCleaned's '\\n##\\n18. Instruction:'", () => {
    assert.equal(only(diagnose(alpaca("Paris.\n##\n18. Instruction: Name a river.\n18. Input:\n<noinput>")), "merged-instructions").length, 1);
    assert.deepEqual(only(diagnose(alpaca("1. Eat well.\n2. Sleep.")), "merged-instructions"), []);
  });

  it("unbalanced-think: an unclosed <think> or a stray </think>", () => {
    const unclosed = {
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "<think>reasoning... answer" },
      ],
    };
    assert.equal(only(diagnose(unclosed), "unbalanced-think").length, 1);
    const stray = {
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "r</think> answer" },
      ],
    };
    assert.match(only(diagnose(stray), "unbalanced-think")[0].message, /<\/think> has no partner/);
    const fine = {
      messages: [
        { role: "user", content: "q" },
        { role: "assistant", content: "<think>r</think> a" },
      ],
    };
    assert.deepEqual(only(diagnose(fine), "unbalanced-think"), []);
  });

  it("control-characters: removed by the fix", () => {
    const line = JSON.stringify(alpaca("abc\u0007def"));
    const [found] = only(diagnose(line), "control-characters");
    assert.equal(JSON.parse(applyFix(line, found)).output, "abcdef");
    assert.deepEqual(only(diagnose(alpaca("tab\tand\nnewline")), "control-characters"), []);
  });

  it("mojibake: UTF-8 read as Windows-1252 is repaired by the fix", () => {
    const line = JSON.stringify(alpaca("CafÃ© au lait â€” trÃ¨s bon"));
    const [found] = only(diagnose(line), "mojibake");
    assert.match(found.message, /windows-1252/);
    assert.equal(JSON.parse(applyFix(line, found)).output, "Café au lait — très bon");
  });

  it("surrounding-whitespace: trimmed by the fix", () => {
    const line = JSON.stringify(alpaca("  answer \n"));
    const [found] = only(diagnose(line), "surrounding-whitespace");
    assert.equal(JSON.parse(applyFix(line, found)).output, "answer");
    assert.deepEqual(only(diagnose(alpaca("answer")), "surrounding-whitespace"), []);
  });

  it("ranges inside strings point at the text even with Korean before it", () => {
    const line = JSON.stringify(alpaca("좋아요 <|eot_id|>"));
    const [found] = only(diagnose(line), "leaked-template");
    assert.equal(line.slice(found.column, found.endColumn), "<|eot_id|>");
  });

  it("a clean row of every sample format has no findings", () => {
    for (const row of [
      alpaca("Paris is the capital of France.", "", "What is the capital of France?"),
      {
        conversations: [
          { from: "human", value: "hi" },
          { from: "gpt", value: "hello" },
        ],
      },
      { prompt: "p", completion: "c" },
      { prompt: "p", chosen: "good", rejected: "bad" },
      { prompt: "p", completion: "c", label: false },
      { question: "q", thinking_trajectories: ["t"], attempt: "a", solution: "a", cot_type: "math", source_type: "x", metadata: "{}" },
      { title: "p-value", content: "The p-value is..." },
      { id: "seed_task_0", name: "breakfast", instruction: "Suggest a breakfast.", instances: [{ input: "", output: "Oatmeal." }], is_classification: false },
    ]) {
      assert.deepEqual(diagnose(row), [], JSON.stringify(row));
    }
  });
});
