import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { degenerateRun } from "../../src/core/validate/generationArtifacts";
import { applyFix, diagnose, only } from "./ruleHelpers";

// Rows in the shape of Alpaca / Self-Instruct / GPTeacher / OpenAI chat data (written here).
const alpaca = (output: string, input = "", instruction = "Write a short note to a colleague.") => ({ instruction, input, output });
const chat = (user: string, assistant: string) => ({
  messages: [
    { role: "user", content: user },
    { role: "assistant", content: assistant },
  ],
});

describe("generation artifacts", () => {
  it("unfilled-placeholder: {{slots}}, [INSERT ...], [Your Name], {author}", () => {
    for (const output of [
      "Dear {{recipient}}, thanks.",
      "Best regards, [Your Name]",
      "Visit [INSERT WEBSITE HERE] for more.",
      "A book by {author} about the sea.",
    ]) {
      const line = JSON.stringify(alpaca(output));
      const [found] = only(diagnose(line), "unfilled-placeholder");
      assert.ok(found, output);
      assert.match(line.slice(found.column, found.endColumn), /^[{[<]/);
    }
  });

  it("unfilled-placeholder stays silent on code, LaTeX, format strings with ordinary names and links", () => {
    for (const output of [
      "Use ```\nprint(f\"Hello {name}\")\nrender('{{title}}')\n``` to print it.",
      "The fraction is $\\frac{a}{b}$ and the set is {1, 2, 3}.",
      'In Python, "{count} items".format(count=3) prints 3 items.',
      "See [the docs](https://example.org) and item [1].",
      "An array: arr[index] = {value: 1}.",
    ]) {
      assert.deepEqual(only(diagnose(alpaca(output)), "unfilled-placeholder"), [], output);
    }
  });

  it("degenerate-repetition: a phrase looping 8+ times, not a list or a refrain", () => {
    const loop = `The answer is simple. ${"I think so. ".repeat(12)}`;
    const [found] = only(diagnose(alpaca(loop)), "degenerate-repetition");
    assert.ok(found);
    assert.match(found.message, /"I think so\." repeats 12 times/);
    assert.ok(only(diagnose(chat("Laugh?", "ha ".repeat(40))), "degenerate-repetition").length === 1);
    // A loop of marks holds no words (LLaMA-Factory's KTO demo has "```" on 53 lines in a row).
    const [fences] = only(diagnose(alpaca(`Here is the code:\n${"```\n".repeat(30)}`)), "degenerate-repetition");
    assert.match(fences?.message ?? "", /"```" repeats 30 times/);
    const list = "1. Buy milk.\n2. Buy eggs.\n3. Buy bread.\n4. Buy rice.\n5. Buy tea.\n6. Buy jam.\n7. Buy salt.\n8. Buy oil.";
    const refrain = "Row, row, row your boat, gently down the stream. Merrily, merrily, merrily, merrily, life is but a dream.";
    for (const text of [list, refrain, "no ".repeat(7) + "yes"]) assert.deepEqual(only(diagnose(alpaca(text)), "degenerate-repetition"), [], text);
    // Only answers: a question may repeat on purpose.
    assert.deepEqual(only(diagnose(alpaca("ok", "", "Repeat after me: " + "la ".repeat(30))), "degenerate-repetition"), []);
    assert.equal(degenerateRun("a b c d ".repeat(8).trim())?.repeats, 8);
  });

  it("run-on-generation: an answer that continues into the next example, cut by the fix", () => {
    const output = "Paris is the capital of France.\n\nInstruction: Name the capital of Spain.\nOutput: Madrid.";
    const line = JSON.stringify(alpaca(output));
    const [found] = only(diagnose(line), "run-on-generation");
    assert.ok(found);
    assert.equal(JSON.parse(applyFix(line, found)).output, "Paris is the capital of France.");
    // "### Instruction" in an answer is one finding, not also a leaked template.
    const hashed = JSON.stringify(alpaca("Done.\n### Instruction:\nNext task"));
    assert.equal(only(diagnose(hashed), "run-on-generation").length, 1);
    assert.deepEqual(only(diagnose(hashed), "leaked-template"), []);
    // An answer that talks about inputs is not a run-on.
    assert.deepEqual(only(diagnose(alpaca("The function takes an input: a list of numbers.")), "run-on-generation"), []);
  });

  it("prompt-label: Output:, ### Response:, 输入： at a field's start, removed by the fix", () => {
    for (const [field, text, rest] of [
      ["output", "Output: The sky is blue.", "The sky is blue."],
      ["output", "### Response:\nBlue.", "Blue."],
      ["input", "输入：一个句子", "一个句子"],
    ] as const) {
      const row = field === "output" ? alpaca(text) : alpaca("ok", text);
      const line = JSON.stringify(row);
      const [found] = only(diagnose(line), "prompt-label");
      assert.ok(found, text);
      assert.equal(JSON.parse(applyFix(line, found))[field], rest);
    }
    assert.deepEqual(only(diagnose(alpaca("Answer: 42, because 6 x 7 = 42.")), "prompt-label"), []);
    assert.deepEqual(only(diagnose(alpaca("The output: a list.")), "prompt-label"), []);
  });

  it("unseen-reference: an input that is only a link or a file name", () => {
    assert.equal(only(diagnose(alpaca("It shows a cat.", "https://example.org/cat.jpg")), "unseen-reference").length, 1);
    assert.equal(only(diagnose(alpaca("A bar chart.", "chart_2023.png")), "unseen-reference").length, 1);
    assert.equal(only(diagnose(chat("report.pdf", "It says sales grew.")), "unseen-reference").length, 1);
    assert.deepEqual(only(diagnose(alpaca("ok", "Summarise https://example.org in one line: it is a test page.")), "unseen-reference"), []);
    // An answer may be a link.
    assert.deepEqual(only(diagnose(alpaca("https://example.org")), "unseen-reference"), []);
  });

  it("no-output-marker: Alpaca's <nooutput> inside an answer (alone it is an empty output)", () => {
    assert.equal(only(diagnose(alpaca("This task needs a web browser. <nooutput>")), "no-output-marker").length, 1);
    const alone = diagnose(alpaca("<nooutput>"));
    assert.deepEqual(only(alone, "no-output-marker"), []);
    assert.equal(only(alone, "empty-output").length, 1);
  });

  it("prompt/completion separators are not surrounding whitespace", () => {
    assert.deepEqual(only(diagnose({ prompt: "Translate to French: cheese =>", completion: " fromage" }), "surrounding-whitespace"), []);
    assert.deepEqual(only(diagnose({ prompt: "Q: 2+2?\nA:\n", completion: "4" }), "surrounding-whitespace"), []);
    assert.equal(only(diagnose({ prompt: " Q: 2+2?", completion: "4 " }), "surrounding-whitespace").length, 2);
  });
});

describe("chat turns: missing content and Axolotl's per-turn keys", () => {
  it("a turn with no content and no tool call is an error; one with tool calls is fine", () => {
    const row = { messages: [{ role: "user", content: "Weather in Paris?" }, { role: "assistant" }] };
    const [found] = only(diagnose(row), "empty-content");
    assert.ok(found);
    assert.match(found.message, /Turn 2 \(assistant\) has no `content`/);
    const withCall = {
      messages: [
        { role: "user", content: "Weather?" },
        { role: "assistant", tool_calls: [{ id: "c1", type: "function", function: { name: "weather", arguments: "{}" } }] },
        { role: "tool", tool_call_id: "c1", content: "Sunny" },
        { role: "assistant", content: "Sunny." },
      ],
    };
    assert.deepEqual(only(diagnose(withCall), "empty-content"), []);
    // ShareGPT requires value: reported once, as a missing field.
    const sharegpt = { conversations: [{ from: "human", value: "Hi" }, { from: "gpt" }] };
    assert.deepEqual(only(diagnose(sharegpt), "empty-content"), []);
    assert.equal(only(diagnose(sharegpt), "missing-field").length, 1);
  });

  it("loss_weight, training, training_detail and reasoning_content are known turn keys", () => {
    const row = {
      messages: [
        { role: "user", content: "Q", training: false },
        { role: "assistant", content: "A", loss_weight: 0.5, training_detail: [{ begin_offset: 0, end_offset: 0, train: true }], reasoning_content: "because" },
      ],
    };
    assert.deepEqual(only(diagnose(row), "unused-key"), []);
    const sharegpt = {
      conversations: [
        { from: "human", value: "Q" },
        { from: "gpt", value: "A", reasoning_content: "r", training: true },
      ],
    };
    assert.deepEqual(only(diagnose(sharegpt), "unused-key"), []);
  });
});

describe("refusal-boilerplate by its shape", () => {
  const refusal = (answer: string, extra: Record<string, unknown> = {}) =>
    only(diagnose({ ...chat("Can you help?", answer), ...extra }), "refusal-boilerplate");

  it("flags AI disclaimers and refusals", () => {
    for (const answer of [
      "As an AI language model, I cannot browse the internet.",
      "As an AI, I don't have personal opinions.",
      "I'm sorry, but as an AI language model I can't do that.",
      "I'm sorry, but I cannot provide that information.",
      "I cannot fulfill this request.",
      "As a large language model, I am unable to see images.",
      "As AI, I don't have access to real-time data.",
      "I am not able to assist with that request.",
      "According to OpenAI's content policy, no.",
    ]) {
      const [found] = refusal(answer);
      assert.ok(found, answer);
      assert.equal(found.severity, "warning");
    }
  });

  it("leaves self-introductions and dialogue alone", () => {
    for (const answer of [
      "I am Qwen, trained by Alibaba Cloud as a language model to help with writing.",
      "\"I'm afraid I can't do that, Dave,\" said HAL.",
      "As an AI researcher, I have published twelve papers.",
      "I'm sorry to hear that your cat is ill; keep her warm and call the vet.",
    ]) {
      assert.deepEqual(refusal(answer), [], answer);
    }
  });

  it("a decline scoped to the tools of function-calling data is info", () => {
    const tools = [{ type: "function", function: { name: "get_weather", parameters: {} } }];
    const [found] = refusal("I'm sorry, but I cannot help with booking flights: none of the available functions can do it.", { tools });
    assert.equal(found.severity, "info");
    assert.match(found.message, /scoped to the available tools/);
  });
});
