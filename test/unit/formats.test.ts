import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { detectRowFormat, dominantFormat } from "../../src/core/formats/detect";
import type { FormatId } from "../../src/core/formats/formatLabels";
import { summarizeRow } from "../../src/core/formats/summary";

describe("detectRowFormat", () => {
  const cases: Array<[unknown, FormatId | undefined]> = [
    [{ instruction: "a", input: "", output: "b" }, "alpaca"],
    [{ conversations: [{ from: "human", value: "hi" }] }, "sharegpt"],
    [{ messages: [{ role: "user", content: "hi" }] }, "openai"],
    [{ prompt: "p", completion: "c" }, "prompt-completion"],
    [{ prompt: "p", chosen: "a", rejected: "b" }, "preference"],
    [{ chosen: [{ role: "user", content: "q" }], rejected: [] }, "preference"],
    [{ prompt: "p", completion: "c", label: true }, "kto"],
    [{ question: "q", thinking_trajectories: ["t"], attempt: "a" }, "s1k"],
    [{ title: "p-value", content: "The p-value..." }, "genstruct"],
    [{ id: "seed_task_0", name: "x", instruction: "i", instances: [{ input: "", output: "o" }], is_classification: false }, "self-instruct"],
    [{ text: "plain pretraining text" }, "text"],
    [{ level: "info", msg: "started" }, undefined],
    [[1, 2], undefined],
    ["string", undefined],
    [null, undefined],
  ];
  for (const [row, format] of cases) {
    it(`${JSON.stringify(row)} → ${format}`, () => assert.equal(detectRowFormat(row), format));
  }

  it("picks the most common format of a file", () => {
    assert.equal(
      dominantFormat(
        new Map<FormatId, number>([
          ["alpaca", 3],
          ["sharegpt", 5],
        ]),
      ),
      "sharegpt",
    );
    assert.equal(dominantFormat(new Map()), undefined);
  });
});

describe("summarizeRow", () => {
  it("lists ShareGPT turns with their roles and counts characters", () => {
    const summary = summarizeRow({
      conversations: [
        { from: "human", value: "안녕" },
        { from: "gpt", value: "Hello" },
      ],
    });
    assert.equal(summary.formatLabel, "ShareGPT");
    assert.deepEqual(summary.parts, [
      { role: "human", text: "안녕" },
      { role: "gpt", text: "Hello" },
    ]);
    assert.equal(summary.characters, 7);
  });

  it("reads a conversations field with role/content keys (the seed model card's dataset)", () => {
    const summary = summarizeRow({
      conversations: [
        { role: "user", content: "7로 나눈 나머지?" },
        { role: "assistant", content: "2" },
      ],
    });
    assert.deepEqual(summary.parts, [
      { role: "user", text: "7로 나눈 나머지?" },
      { role: "assistant", text: "2" },
    ]);
  });

  it("shows an OpenAI tool call as its JSON when content is null", () => {
    const summary = summarizeRow({
      messages: [
        { role: "assistant", content: null },
        { role: "tool", content: "{}" },
      ],
    });
    assert.deepEqual(
      summary.parts.map((p) => [p.role, p.text]),
      [
        ["assistant", ""],
        ["tool", "{}"],
      ],
    );
  });

  it("joins s1K thinking trajectories", () => {
    const summary = summarizeRow({ question: "q", thinking_trajectories: ["a", "b"], attempt: "x" });
    assert.deepEqual(
      summary.parts.map((p) => p.role),
      ["question", "thinking", "attempt"],
    );
    assert.equal(summary.parts[1].text, "a\nb");
  });

  it("expands TRL conversational preference rows", () => {
    const summary = summarizeRow({
      prompt: [{ role: "user", content: "q" }],
      chosen: [{ role: "assistant", content: "good" }],
      rejected: [{ role: "assistant", content: "bad" }],
    });
    assert.deepEqual(
      summary.parts.map((p) => p.text),
      ["q", "good", "bad"],
    );
  });

  it("lists the keys of rows that are not instruction data", () => {
    const summary = summarizeRow({ level: "info", port: 8080 });
    assert.equal(summary.format, undefined);
    assert.deepEqual(summary.parts, [
      { role: "level", text: "info" },
      { role: "port", text: "8080" },
    ]);
  });
});
