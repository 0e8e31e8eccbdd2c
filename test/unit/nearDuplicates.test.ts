import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { readLines } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { validateLines } from "../../src/core/validate/streamValidator";

// Rows in the shape of public datasets, written here.
const toolPreamble =
  "You are a helpful assistant with access to these tools. Calculator(expression): evaluates an arithmetic expression and returns the number. WikiSearch(query): returns the first paragraph of the Wikipedia article that best matches the query. Calendar(): returns today's date. Use a tool by writing its name and arguments in square brackets, then continue the answer with the result.";
const toolformer = [
  ["How many days are there in 7 weeks?", "There are [Calculator(7 * 7)] 49 days in seven weeks, counting every day of each week."],
  ["Who painted the ceiling of the Sistine Chapel?", "The ceiling was painted by [WikiSearch('Sistine Chapel ceiling')] Michelangelo between 1508 and 1512."],
  ["What is 15 percent of 240 dollars?", "Fifteen percent of 240 dollars is [Calculator(0.15 * 240)] 36 dollars, the usual size of a tip."],
  ["What day of the week is it today?", "Today is [Calendar()] the day the calendar tool returns, so check it before planning the meeting."],
  ["How far is the Moon from the Earth on average?", "On average the Moon is [WikiSearch('Moon distance')] about 384,400 kilometres away from the Earth."],
].map(([question, answer]) => ({ instruction: toolPreamble, input: question, response: answer }));

const passage =
  "The Amazon River in South America is the largest river by discharge volume of water in the world. It flows through Brazil, Peru and Colombia, and its basin covers about seven million square kilometres, much of it covered by the Amazon rainforest, home to millions of species of insects, plants, birds and other forms of life.";
const passageQa = [
  ["Which countries does the Amazon River flow through?", "It flows through Brazil, Peru and Colombia."],
  ["How large is the Amazon basin?", "About seven million square kilometres."],
  ["What is the Amazon River the largest by?", "By discharge volume of water."],
  ["What covers much of the basin?", "The Amazon rainforest covers much of it."],
].map(([question, answer]) => ({ instruction: question, input: passage, output: answer }));

const jsonl = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join("\n");

function bothValidators(text: string): { editor: Diagnostic[]; stream: Promise<Diagnostic[]> } {
  const editor = new DocumentValidator();
  editor.setText(text);
  const stream = (async () => {
    const found: Diagnostic[] = [];
    async function* bytes() {
      yield new TextEncoder().encode(text);
    }
    for await (const d of validateLines(readLines(bytes()))) found.push(d);
    return found;
  })();
  return { editor: editor.diagnostics(), stream };
}

async function nearDuplicates(rows: object[]): Promise<Diagnostic[]> {
  const { editor, stream } = bothValidators(jsonl(rows));
  const fromEditor = editor.filter((d) => d.rule === "near-duplicate");
  const fromStream = (await stream).filter((d) => d.rule === "near-duplicate");
  // The editor lists errors first; the stream gives near duplicates once every row is read, by their first row.
  const byLine = (ds: Diagnostic[]) => [...ds].sort((a, b) => a.line - b.line);
  assert.deepEqual(byLine(fromStream), byLine(fromEditor), "the editor and the CLI agree");
  return byLine(fromEditor);
}

describe("near-duplicate: what differs decides", () => {
  it("rows sharing a long tool preamble are not near duplicates when their questions and answers differ (GPTeacher Toolformer's shape)", async () => {
    assert.deepEqual(await nearDuplicates(toolformer), []);
  });

  it("different questions about one passage are not near duplicates (a passage-QA set's shape)", async () => {
    assert.deepEqual(await nearDuplicates(passageQa), []);
  });

  it("the same question asked again under the shared preamble is, as an info; with the same answer, a warning", async () => {
    const rephrased = { ...toolformer[2], input: "What is 15 percent of 240 dollars, please?", response: "It is 36 dollars." };
    const [again] = await nearDuplicates([...toolformer, rephrased]);
    assert.equal(again.line, 5);
    assert.equal(again.related?.[0].line, 2);
    assert.equal(again.severity, "info");
    // Only punctuation differs: not an exact duplicate, but the same words and answer.
    const [veryClose] = await nearDuplicates([...toolformer, { ...toolformer[4], input: toolformer[4].input.replace("?", "!") }]);
    assert.equal(veryClose.severity, "warning");
    assert.match(veryClose.message, /Asks nearly what row 5 asks \(estimated Jaccard 1\.00 over word 5-grams\), with the same answer\./);
    const [looser] = await nearDuplicates([...toolformer, { ...toolformer[4], instruction: `${toolPreamble} Answer briefly.` }]);
    assert.equal(looser.severity, "info", "a prompt under 0.9 with the same answer stays an info");
  });

  it("a reworded instruction with another answer is still found (Self-Instruct's filter compares instructions)", async () => {
    const rows = [
      {
        instruction: "Write a short story about a brave little robot who learns to paint sunsets over the quiet harbour town.",
        input: "",
        output: "Once upon a time...",
      },
      { instruction: "Explain the difference between a list and a tuple in Python, with examples.", input: "", output: "A list is mutable..." },
      {
        instruction: "Write a short story about a brave little robot who learns to paint sunsets over the quiet harbour town tonight.",
        input: "",
        output: "Bolt the robot...",
      },
    ];
    const [found] = await nearDuplicates(rows);
    assert.equal(found.line, 2);
    assert.equal(found.severity, "info");
  });

  it("a close answer to a question under the same passage counts as close", async () => {
    const long = "The Amazon River flows through three countries of South America: Brazil, Peru and Colombia, from the Andes to the Atlantic.";
    const rows = [
      { ...passageQa[0], output: long },
      { ...passageQa[1] },
      { instruction: "Name the countries the Amazon flows through.", input: passage, output: `${long} ` },
    ];
    const [found] = await nearDuplicates(rows);
    assert.equal(found.line, 2);
    assert.match(found.message, /with the same answer/);
  });

  it("the rule's severity set by the user applies to both kinds", async () => {
    const editor = new DocumentValidator({ rules: { "near-duplicate": "error" } });
    editor.setText(jsonl([...toolformer, { ...toolformer[2], input: "What is 15 percent of 240 dollars, please?", response: "It is 36 dollars." }]));
    assert.deepEqual(
      editor
        .diagnostics()
        .filter((d) => d.rule === "near-duplicate")
        .map((d) => d.severity),
      ["error"],
    );
  });

  it("a tool preamble inside the instruction is set aside line by line: the questions under it decide (AlpacaDataCleaned's Toolformer file)", async () => {
    const preamble =
      "toolformer: enabled\ntoolformer access: wolfram\nA wolfram alpha search engine. Useful for when you need to answer questions about Math, Science, Technology, Culture, Society and Everyday Life. Input should be a search query.\nwolfram(query)\n";
    const ask = (question: string, answer: string) => ({ instruction: preamble + question, input: "", output: answer });
    const rows = [
      ask("What is the highest peak in the world and its altitude?", "The highest peak is wolfram('highest peak in the world')."),
      ask("When and where was Albert Einstein born?", "Albert Einstein was born on wolfram('Albert Einstein birth date')."),
      ask("Calculate the square root of 64.", "The square root of 64 is wolfram('sqrt(64)')."),
      ask("Calculate the square root of 564.", "The square root of 564 is wolfram('sqrt(564)')."),
      ask("When and where was Albert Einstein born?!", "Einstein was born in Ulm: wolfram('Albert Einstein birthplace')."),
    ];
    const found = await nearDuplicates(rows);
    assert.deepEqual(
      found.map((d) => [d.line, d.related?.[0].line]),
      [[4, 1]],
      "only the same question asked again; another number is another question",
    );
  });

  it("a small edit in one line of a long prompt is still found (character 3-grams compare short lines)", async () => {
    const base =
      "Write a poem about the sea at night, with the moon over the water, the boats asleep in the harbour and the lighthouse turning slowly on the cliff above the sleeping town, for a reader who grew up by the sea.\nUse rhymes.\nKeep it under twelve lines and give it a title.";
    const rows = [
      { instruction: base, input: "", output: "The moon lies down upon the bay..." },
      { instruction: "Explain how tides work to a ten-year-old.", input: "", output: "The Moon pulls the water..." },
      { instruction: base.replace("give it a title", "give it a short title"), input: "", output: "Silver on the silent tide..." },
    ];
    const [found] = await nearDuplicates(rows);
    assert.equal(found.line, 2);
    assert.equal(found.related?.[0].line, 0);
  });

  it("short prompts with the same answer are compared by ROUGE-L over words, as Self-Instruct's filter: the planted pair is a warning", async () => {
    const rows = [
      { instruction: "Translate the sentence into French.", input: "The cat sleeps on the sofa.", output: "Le chat dort sur le canapé." },
      { instruction: "Summarize the article in one line.", input: "Rain fell all day.", output: "It rained." },
      { instruction: "Translate this sentence into French.", input: "The cat sleeps on the sofa.", output: "Le chat dort sur le canapé." },
      { instruction: "Translate this sentence into German.", input: "The cat sleeps on the sofa.", output: "Die Katze schläft auf dem Sofa." },
      { instruction: "문장을 프랑스어로 번역하세요.", input: "고양이가 소파에서 잔다.", output: "Le chat dort sur le canapé." },
      { instruction: "이 문장을 프랑스어로 번역하세요.", input: "고양이가 소파에서 잔다.", output: "Le chat dort sur le canapé." },
      { instruction: "把这句话翻译成法语。", input: "猫在沙发上睡觉。", output: "Le chat dort sur le canapé !" },
      { instruction: "请把这句话翻译成法语。", input: "猫在沙发上睡觉。", output: "Le chat dort sur le canapé !" },
    ];
    const found = await nearDuplicates(rows);
    assert.deepEqual(
      found.map((d) => [d.line, d.related?.[0].line, d.severity]),
      [
        [2, 0, "warning"],
        [5, 4, "warning"],
        [7, 6, "warning"],
      ],
      "the other answer (German) is not flagged; Korean words and Chinese characters count",
    );
    assert.match(found[0].message, /^Asks nearly what row 1 asks \(ROUGE-L 0\.91 over words\), with the same answer\.$/);
  });
});
