// Writes small datasets in the shapes of public instruction datasets (Stanford Alpaca,
// AlpacaDataCleaned, GPTeacher, Self-Instruct, FastChat, LLaMA-Factory's data/, the OpenAI
// cookbook, a passage-QA set) into a folder: the same layouts and quirks, text written here.
// `node scripts/shape-samples.mjs <dir>`; the unit tests lint each one, and the closing notes
// count findings on them before and after a change.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const topics = [
  "photosynthesis",
  "the water cycle",
  "prime numbers",
  "the French Revolution",
  "binary search",
  "volcanoes",
  "compound interest",
  "the immune system",
  "plate tectonics",
  "supply and demand",
  "black holes",
  "the printing press",
  "recursion",
  "climate zones",
  "the Roman Empire",
  "vaccines",
  "electric circuits",
  "the stock market",
  "neural networks",
  "ocean currents",
  "Shakespeare's sonnets",
  "the periodic table",
  "migration of birds",
  "solar panels",
  "the Silk Road",
  "DNA replication",
  "inflation",
  "glaciers",
  "chess openings",
  "the Moon landing",
];
const verbs = ["Explain", "Summarize", "Describe", "Give three facts about", "Write a short paragraph about", "List the key ideas of"];

const rows = (n, make) => Array.from({ length: n }, (_, i) => make(i, topics[i % topics.length], verbs[i % verbs.length]));
// Answers differ as real ones do: three of many sentences, chosen differently per row.
const sentences = [
  "scientists have studied it for well over a century",
  "most textbooks introduce it with a simple diagram",
  "its effects can be measured with cheap instruments",
  "a common mistake is to confuse cause and effect here",
  "the basic idea fits in a single sentence",
  "experts still argue about the finer details",
  "it was first described by careful observers of nature",
  "modern computers made its study far easier",
  "children often meet it first in primary school",
  "it connects to several other fields of knowledge",
  "the numbers involved are larger than most people expect",
  "a small change in conditions can change the outcome a lot",
  "museums around the world have exhibits about it",
  "it has shaped how cities and farms are planned",
  "understanding it helps with everyday decisions",
  "historians trace its story through old letters and maps",
  "engineers rely on it when they design new tools",
  "good examples make it much easier to remember",
  "it appears in many popular films and novels",
  "there are simple experiments anyone can try at home",
];
const answer = (topic, i) => {
  const round = Math.floor(i / sentences.length);
  const pick = (k) => sentences[(i + 7 * k + 3 * round * (k + 1)) % sentences.length];
  return `About ${topic}: ${pick(0)}, ${pick(1)} and ${pick(2)}.`;
};

const toolPreamble =
  "You are a helpful assistant that can use the following tools. Calculator(expression): evaluates an arithmetic expression and returns the number. WikiSearch(query): returns the first paragraph of the Wikipedia article that best matches the query. Calendar(): returns today's date. Use a tool by writing its name and arguments in square brackets, then continue the answer with the result.";

const passage =
  "The Amazon River in South America is the largest river by discharge volume of water in the world. It flows through Brazil, Peru and Colombia, and its basin covers about seven million square kilometres, much of it covered by the Amazon rainforest. The river has over 1,100 tributaries, and during the wet season parts of it grow to almost fifty kilometres wide.";
const passageQuestions = [
  ["Which countries does the Amazon River flow through?", "Brazil, Peru and Colombia."],
  ["How large is the Amazon basin?", "About seven million square kilometres."],
  ["What is the Amazon River the largest by?", "Discharge volume of water."],
  ["What covers much of the basin?", "The Amazon rainforest."],
  ["How many tributaries does the river have?", "Over 1,100."],
  ["How wide can the river grow in the wet season?", "Almost fifty kilometres."],
  ["On which continent is the Amazon?", "South America."],
  ["Is the Amazon the largest river by discharge?", "Yes."],
  ["Name one country the river crosses.", "Peru."],
  ["During which season does the river widen?", "The wet season."],
  ["What kind of forest grows in the basin?", "Rainforest."],
  ["Roughly how many square kilometres is the basin?", "Seven million."],
  ["Does the river have more than a thousand tributaries?", "Yes, over 1,100."],
  ["Which is larger, the basin or France?", "The basin."],
  ["Give the river's three countries in alphabetical order.", "Brazil, Colombia, Peru."],
];

export const shapes = {
  // tatsu-lab/stanford_alpaca: one JSON array, four-space indent, "" for no input.
  "stanford_alpaca.json": JSON.stringify(
    rows(30, (i, t, v) => ({ instruction: `${v} ${t}.`, input: i % 4 === 0 ? `Keep it under ${50 + i} words.` : "", output: answer(t, i) })),
    null,
    4,
  ),
  // gururise/AlpacaDataCleaned: the same shape, cleaned.
  "alpaca_data_cleaned.json": JSON.stringify(
    rows(30, (i, t, v) => ({ instruction: `${v} ${t} for a student.`, input: "", output: answer(t, i + 100) })),
    null,
    4,
  ),
  // teknium1/GPTeacher General-Instruct: instruction/input/response.
  "gpteacher_general.json": JSON.stringify(
    rows(30, (i, t, v) => ({
      instruction: `${v} ${t} in plain words.`,
      input: i % 3 === 0 ? `Audience: grade ${5 + (i % 7)}.` : "",
      response: answer(t, i + 200),
    })),
    null,
    4,
  ),
  // GPTeacher Toolformer: a long tool preamble shared by every row, then the question.
  "gpteacher_toolformer.json": JSON.stringify(
    rows(30, (i, t) => ({
      instruction: toolPreamble,
      input: `What should I know about ${t}? (question ${i + 1})`,
      response: `Let me look it up: [WikiSearch('${t}')] ${answer(t, i + 300)}`,
    })),
    null,
    4,
  ),
  // yizhongw/self-instruct seed_tasks.jsonl.
  "self_instruct_seed_tasks.jsonl":
    rows(30, (i, t, v) =>
      JSON.stringify({
        id: `seed_task_${i}`,
        name: `${t.replace(/\W+/g, "_")}_${i}`,
        instruction: `${v} ${t}.`,
        instances: [{ input: "", output: answer(t, i + 400) }],
        is_classification: false,
      }),
    ).join("\n") + "\n",
  // lm-sys/FastChat's ShareGPT dumps: a JSON array of {id, conversations: [{from, value}]}.
  "fastchat_sharegpt.json": JSON.stringify(
    rows(30, (i, t, v) => ({
      id: `sg_${i}`,
      conversations: [
        { from: "human", value: `${v} ${t}.` },
        { from: "gpt", value: answer(t, i + 500) },
        { from: "human", value: `And why does ${t} matter?` },
        { from: "gpt", value: `It matters because ${answer(t, i + 600).toLowerCase()}` },
      ],
    })),
    null,
    2,
  ),
  // LLaMA-Factory data/: Alpaca demo, tool calls with tools as a JSON string, ShareGPT
  // preference, KTO with kto_tag, multimodal with images, and the dataset_info.json that maps them.
  "llamafactory/alpaca_en_demo.json": JSON.stringify(
    rows(20, (i, t, v) => ({ instruction: `${v} ${t}.`, input: "", output: answer(t, i + 700) })),
    null,
    2,
  ),
  "llamafactory/glaive_toolcall_en_demo.json": JSON.stringify(
    rows(20, (i, t) => ({
      conversations: [
        { from: "human", value: `How many days are in ${i + 2} weeks, for my notes on ${t}?` },
        { from: "function_call", value: JSON.stringify({ name: "calculate", arguments: { expression: `${i + 2} * 7` } }) },
        { from: "observation", value: JSON.stringify({ result: (i + 2) * 7 }) },
        { from: "gpt", value: `There are ${(i + 2) * 7} days in ${i + 2} weeks.` },
      ],
      tools: JSON.stringify([
        {
          name: "calculate",
          description: "Evaluate an arithmetic expression",
          parameters: { type: "object", properties: { expression: { type: "string" } }, required: ["expression"] },
        },
      ]),
    })),
    null,
    2,
  ),
  "llamafactory/dpo_en_demo.json": JSON.stringify(
    rows(20, (i, t, v) => ({
      conversations: [{ from: "human", value: `${v} ${t}.` }],
      chosen: { from: "gpt", value: answer(t, i + 800) },
      rejected: { from: "gpt", value: `I don't know much about ${t} (${i}).` },
    })),
    null,
    2,
  ),
  "llamafactory/kto_en_demo.json": JSON.stringify(
    rows(20, (i, t, v) => ({
      messages: [
        { role: "user", content: `${v} ${t}.` },
        { role: "assistant", content: answer(t, i + 900) },
      ],
      label: i % 3 !== 0,
    })),
    null,
    2,
  ),
  "llamafactory/mllm_demo.json": JSON.stringify(
    rows(20, (i, t) => ({
      messages: [
        { role: "user", content: `<image>What does this picture of ${t} show? (${i})` },
        { role: "assistant", content: answer(t, i + 1000) },
      ],
      images: [`mllm_demo_data/${i}.jpg`],
    })),
    null,
    2,
  ),
  "llamafactory/dataset_info.json": JSON.stringify(
    {
      alpaca_en_demo: { file_name: "alpaca_en_demo.json" },
      glaive_toolcall_en_demo: { file_name: "glaive_toolcall_en_demo.json", formatting: "sharegpt", columns: { messages: "conversations", tools: "tools" } },
      dpo_en_demo: {
        file_name: "dpo_en_demo.json",
        ranking: true,
        formatting: "sharegpt",
        columns: { messages: "conversations", chosen: "chosen", rejected: "rejected" },
      },
      kto_en_demo: {
        file_name: "kto_en_demo.json",
        formatting: "sharegpt",
        columns: { messages: "messages", kto_tag: "label" },
        tags: { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant" },
      },
      mllm_demo: {
        file_name: "mllm_demo.json",
        formatting: "sharegpt",
        columns: { messages: "messages", images: "images" },
        tags: { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant" },
      },
    },
    null,
    2,
  ),
  // The OpenAI cookbook's chat fine-tuning files: messages with a system prompt, weight on assistant turns.
  "openai_cookbook_chat.jsonl":
    rows(30, (i, t, v) =>
      JSON.stringify({
        messages: [
          { role: "system", content: "You are a concise tutor." },
          { role: "user", content: `${v} ${t}.` },
          { role: "assistant", content: answer(t, i + 1100), ...(i % 5 === 0 ? { weight: 1 } : {}) },
        ],
      }),
    ).join("\n") + "\n",
  // A passage-QA set in Alpaca's shape: several questions about one passage.
  "passage_qa.jsonl": passageQuestions.map(([question, answer]) => JSON.stringify({ instruction: question, input: passage, output: answer })).join("\n") + "\n",
};

export function writeShapeSamples(dir) {
  for (const [name, content] of Object.entries(shapes)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

if (process.argv[1]?.endsWith("shape-samples.mjs")) {
  const dir = process.argv[2];
  if (!dir) {
    console.error("usage: node scripts/shape-samples.mjs <dir>");
    process.exit(2);
  }
  writeShapeSamples(dir);
  console.log(`wrote ${Object.keys(shapes).length} files to ${dir}`);
}
