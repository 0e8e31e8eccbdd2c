import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { critiqueSchema, parseCritique } from "../../src/core/generation/critique";
import { datasetContext, DatasetContextError, readDatasetRows } from "../../src/core/generation/datasetContext";
import { entrySchema } from "../../src/core/generation/entrySchema";
import { genstructPrompt, parseGenstruct } from "../../src/core/generation/genstruct";
import { replaceValue, responseTarget } from "../../src/core/generation/responseEdit";
import { RougeIndex, rougeL, rougeTokens } from "../../src/core/generation/rougeL";
import { judgeCandidate, sample, seededRandom } from "../../src/core/generation/selfInstruct";
import { serializeLike, styleOf } from "../../src/core/generation/serializeLike";
import { openaiLayout, openaiRoles, sharegptLayout, sharegptRoles } from "../../src/core/formats/layout";
import { formatIds } from "../../src/core/formats/detect";
import { sseData } from "../../src/core/model/sse";
import { ModelError } from "../../src/core/model/backend";
import { exampleFor } from "../support/openaiServer";

const alpacaContext = (seen = new RougeIndex()) => ({ format: "alpaca" as const, validation: {}, seen });
const alpaca = (instruction: string, output = "A complete and helpful answer.", input = "") => JSON.stringify({ instruction, input, output });

describe("ROUGE-L", () => {
  it("is 1 for the same text and 0 for texts with no word in common", () => {
    assert.equal(rougeL(rougeTokens("Name three rivers in Asia"), rougeTokens("name three rivers in asia")), 1);
    assert.equal(rougeL(rougeTokens("alpha beta"), rougeTokens("gamma delta")), 0);
  });

  it("counts Korean and Chinese words, which Self-Instruct's [a-z0-9] tokenizer drops", () => {
    assert.deepEqual(rougeTokens("오늘은 날씨가 좋습니다."), ["오늘은", "날씨가", "좋습니다"]);
    assert.ok(rougeTokens("我喜欢学习机器学习").length >= 3);
    const score = rougeL(rougeTokens("다음 문장을 영어로 번역하세요"), rougeTokens("다음 문장을 한국어로 번역하세요"));
    assert.ok(Math.abs(score - 0.75) < 1e-9, String(score));
  });

  it("the index's bound never hides a pair above the threshold (checked against the full LCS)", () => {
    const random = seededRandom(7);
    const vocabulary = "a b c d e f g h".split(" ");
    const texts = Array.from({ length: 200 }, () => Array.from({ length: 3 + Math.floor(random() * 8) }, () => vocabulary[Math.floor(random() * 8)]).join(" "));
    const index = new RougeIndex();
    texts.slice(0, 150).forEach((t) => index.add(t));
    for (const probe of texts.slice(150)) {
      const best = Math.max(...texts.slice(0, 150).map((t) => rougeL(rougeTokens(probe), rougeTokens(t))));
      const found = index.mostSimilarAbove(probe, 0.7);
      if (best > 0.7) assert.ok(found && Math.abs(found.score - best) < 1e-9, `${probe}: ${best} vs ${found?.score}`);
      else assert.equal(found, undefined);
    }
  });
});

describe("Self-Instruct filters", () => {
  it("accepts a good entry and gives each rejection its reason", () => {
    const seen = new RougeIndex();
    seen.add("Give three tips for staying healthy.");
    const judge = (line: string, stop: "end" | "maxTokens" = "end") => {
      const verdict = judgeCandidate(line, stop, alpacaContext(seen));
      return verdict.accepted ? "accepted" : verdict.reason;
    };
    assert.equal(judge(alpaca("Explain why the sky looks blue at noon.")), "accepted");
    assert.match(judge(alpaca("Explain why the sky looks blue at noon."), "maxTokens"), /cut off/);
    assert.match(judge(alpaca("Summarize it.")), /too short \(2 words\)/);
    assert.match(judge(alpaca("Draw a picture of a cat sitting on a mat.")), /asks for "draw"/);
    assert.match(judge(alpaca("Describe the chart in the attached image file.")), /asks for "image"/);
    assert.match(judge(alpaca("Write a program that sorts a list of numbers.")), /Write a program/);
    assert.match(judge(alpaca("- list three kinds of clouds please")), /punctuation/);
    assert.match(judge(alpaca("Give three tips for staying healthy!")), /too similar .*ROUGE-L 1\.00/);
    assert.match(judge(alpaca("Repeat the following sentence back to me.", "the cat sat", "the cat sat")), /repeats the input/);
    assert.match(judge(alpaca("Explain how rainbows form in the sky.", "")), /empty-output|empty response/);
    assert.match(judge('{"messages": []}'), /not Alpaca/);
    assert.match(judge("{not json"), /not a JSON object/);
  });

  it("rejects what the project's own rules flag (here a placeholder input)", () => {
    const verdict = judgeCandidate(alpaca("Explain how rainbows form in the sky.", "Light refracts in drops.", "N/A"), "end", alpacaContext());
    assert.ok(!verdict.accepted && /placeholder-input/.test(verdict.reason), JSON.stringify(verdict));
  });

  it("samples without repeats, the same way for the same seed", () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const a = sample(items, 6, seededRandom(3));
    assert.deepEqual(a, sample(items, 6, seededRandom(3)));
    assert.equal(new Set(a).size, 6);
    assert.equal(sample(items.slice(0, 4), 6, seededRandom(1)).length, 4);
  });
});

describe("entry schemas and the file's own format", () => {
  it("every format with a schema yields entries that read back as that format and pass the rules", () => {
    for (const format of formatIds) {
      const layout = format === "sharegpt" ? sharegptLayout : format === "openai" ? openaiLayout : undefined;
      const names = format === "sharegpt" ? { user: "human", assistant: "gpt" } : { user: "user", assistant: "assistant" };
      const schema = entrySchema(format, layout, names);
      assert.ok(schema, format);
      const entry = exampleFor(schema, 3);
      const line = serializeLike(entry, { spaced: false });
      const roles = format === "sharegpt" ? sharegptRoles : openaiRoles;
      const verdict = judgeCandidate(line, "end", { format, layout, roles, validation: { format }, seen: new RougeIndex() });
      if (format === "text" || format === "genstruct") continue; // no instruction to judge by Self-Instruct's rules
      assert.ok(verdict.accepted, `${format}: ${JSON.stringify(verdict)} ${line}`);
    }
  });

  it("bounds every string and emits properties in writing order", () => {
    const schema = entrySchema("alpaca")!;
    assert.deepEqual(Object.keys(schema.properties as object), ["instruction", "input", "output"]);
    const strings = JSON.stringify(critiqueSchema).match(/"type":"string"[^}]*/g) ?? [];
    assert.ok(strings.length > 0 && strings.every((s) => s.includes("maxLength")), strings.join("\n"));
  });

  it("reads the file's format, its chat role names and its JSON style", () => {
    const rows = readDatasetRows([
      '{"conversations": [{"from": "human", "value": "Hi there"}, {"from": "gpt", "value": "Hello!"}]}',
      "not json",
      '{"conversations": [{"from": "human", "value": "Why?"}, {"from": "gpt", "value": "Because."}]}',
    ]);
    assert.equal(rows.length, 2);
    const context = datasetContext(rows, {});
    assert.equal(context.format, "sharegpt");
    assert.equal(context.style.spaced, true);
    assert.match(JSON.stringify(context.schema), /"const":"human".*"const":"gpt"/);
    assert.throws(() => datasetContext([], {}), DatasetContextError);
  });

  it("writes rows in the file's style on one line", () => {
    const value = { instruction: 'Say "hi"\nthen stop', input: "", output: "안녕" };
    assert.equal(serializeLike(value, styleOf('{"instruction": "x"}')), '{"instruction": "Say \\"hi\\"\\nthen stop", "input": "", "output": "안녕"}');
    assert.equal(serializeLike(value, styleOf('{"instruction":"x"}')), JSON.stringify(value));
  });
});

describe("Genstruct, critique and response edits", () => {
  it("builds Genstruct's prompt exactly as its card and reads its answer", () => {
    assert.equal(
      genstructPrompt("Cortado", "A cortado is a Spanish beverage."),
      "[[[Title]]] Cortado\n[[[Content]]] A cortado is a Spanish beverage.\n\nThe following is an interaction between a user and an AI assistant that is related to the above text.\n\n[[[User]]] ",
    );
    assert.deepEqual(parseGenstruct(" Brett moves to Seattle. Who drinks more cortados?\n\n[[[Assistant]]] Sean, who stayed in Lisbon.\n[[[User]]] more"), {
      question: "Brett moves to Seattle. Who drinks more cortados?",
      answer: "Sean, who stayed in Lisbon.",
    });
    assert.throws(() => parseGenstruct("no marker at all"), /no \[\[\[Assistant\]\]\]/);
  });

  it("reads a critique and refuses one with no valid score", () => {
    const critique = parseCritique(
      JSON.stringify({
        rationale: "Correct but terse.",
        issues: [{ field: "output", problem: "terse", suggestion: "add a step" }],
        aspects: { helpfulness: 3, honesty: 5, instruction_following: 4, truthfulness: 5 },
        score: 4,
      }),
    );
    assert.equal(critique.score, 4);
    assert.equal(critique.issues[0].suggestion, "add a step");
    assert.throws(() => parseCritique('{"rationale": "x", "score": 7}'), ModelError);
    assert.throws(() => parseCritique("Score: 4"), /not JSON/);
  });

  it("finds each format's response and replaces only its value, keeping every other byte", () => {
    const line = '{"id": 7,  "instruction": "Add", "input": "2+2", "output": "5", "note": "é"}';
    const target = responseTarget(JSON.parse(line), "alpaca");
    assert.ok(typeof target !== "string");
    assert.deepEqual(target.context, [{ role: "user", content: "Add\n\n2+2" }]);
    assert.equal(replaceValue(line, target.path, 'It is "4".'), '{"id": 7,  "instruction": "Add", "input": "2+2", "output": "It is \\"4\\".", "note": "é"}');
    const chat = {
      conversations: [
        { from: "human", value: "Hi" },
        { from: "gpt", value: "Hello" },
        { from: "human", value: "Bye" },
      ],
    };
    const chatTarget = responseTarget(chat, "sharegpt", sharegptLayout, sharegptRoles);
    assert.ok(typeof chatTarget !== "string");
    assert.deepEqual(chatTarget.path, ["conversations", 1, "value"]);
    assert.match(String(responseTarget({ title: "t", content: "c" }, "genstruct")), /no response/);
  });

  it("reads server-sent events split anywhere", async () => {
    const stream = 'data: {"a":1}\n\ndata: {"b"' + ':2}\r\n\n: comment\ndata: [DONE]\n\ndata: {"late":1}\n\n';
    async function* chunks() {
      for (let i = 0; i < stream.length; i += 5) yield new TextEncoder().encode(stream.slice(i, i + 5));
    }
    const seen: string[] = [];
    for await (const data of sseData(chunks())) seen.push(data);
    assert.deepEqual(seen, ['{"a":1}', '{"b":2}']);
  });
});
