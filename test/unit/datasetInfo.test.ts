import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { datasetInfoMapping, parseDatasetInfo } from "../../src/core/config/datasetInfo";
import { datasetInfoFor } from "../../src/core/config/datasetInfoLookup";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

// A dataset_info.json in the shape of LLaMA-Factory's data/, written here.
const info = {
  alpaca_en_demo: { file_name: "alpaca_en_demo.json" },
  qa_renamed: { file_name: "qa.json", columns: { prompt: "question", query: "context", response: "answer", system: "persona" } },
  chat_openai_style: {
    file_name: "chat/openai.jsonl",
    formatting: "sharegpt",
    columns: { messages: "messages" },
    tags: { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" },
  },
  bot_dialogs: {
    file_name: "dialogs.json",
    formatting: "sharegpt",
    columns: { messages: "dialog", system: "persona" },
    tags: { user_tag: "customer", assistant_tag: "bot" },
  },
  hub_only: { hf_hub_url: "someone/dataset" },
};

const dir = scratchDir("instruct-studio-dataset-info-");
mkdirSync(join(dir, "chat"));
writeFileSync(join(dir, "dataset_info.json"), JSON.stringify(info, null, 2));
const qaRows = [
  { question: "What is the boiling point of water at sea level?", context: "", answer: "100 degrees Celsius.", persona: "You are a science tutor." },
  { question: "Name the largest ocean.", context: "", answer: "The Pacific Ocean." },
];
writeFileSync(join(dir, "qa.json"), JSON.stringify(qaRows, null, 2));
const dialog = (assistant: string, question: string) => ({
  dialog: [
    { from: "customer", value: question },
    { from: assistant, value: "Let me check the tracking number for you." },
  ],
  persona: "A courier's help desk.",
});
writeFileSync(
  join(dir, "dialogs.json"),
  JSON.stringify([dialog("bot", "Where is my parcel?"), dialog("agent", "Can I change the delivery address?")], null, 2),
);
writeFileSync(
  join(dir, "chat", "openai.jsonl"),
  `${JSON.stringify({
    messages: [
      { role: "user", content: "Hi" },
      { role: "assistant", content: "Hello!" },
    ],
  })}\n`,
);

const run = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, "out", "cli.js"), ...args], { encoding: "utf8" });
const findings = (stdout: string) => (JSON.parse(stdout) as Array<{ line: number; rule: string; message: string }>).map((d) => `${d.line} ${d.rule}`);

describe("LLaMA-Factory's dataset_info.json decides how a file is read", () => {
  it("parses entries that name local files, with LLaMA-Factory's defaults", () => {
    const entries = parseDatasetInfo(JSON.stringify(info));
    assert.deepEqual(
      entries.map((e) => e.name),
      ["alpaca_en_demo", "qa_renamed", "chat_openai_style", "bot_dialogs"],
    );
    const alpaca = datasetInfoMapping(entries[0]);
    assert.equal(alpaca.format, "alpaca");
    assert.deepEqual(
      [alpaca.mapping.instructionType?.instruction, alpaca.mapping.instructionType?.input, alpaca.mapping.instructionType?.output],
      ["instruction", "input", "output"],
    );
    const chat = datasetInfoMapping(entries[2]);
    assert.equal(chat.format, "openai");
    assert.deepEqual(chat.mapping.layout, { field: "messages", roleKey: "role", contentKey: "content" });
    const bots = datasetInfoMapping(entries[3]);
    assert.deepEqual(bots.mapping.layout, { field: "dialog", roleKey: "from", contentKey: "value" });
    assert.deepEqual(bots.mapping.roles?.assistant, ["bot", "function_call"]);
    assert.throws(() => parseDatasetInfo("{ not json"), /dataset_info.json is not valid JSON/);
  });

  it("finds the entry of a file beside it or in a subfolder of its folder", () => {
    assert.equal(datasetInfoFor(join(dir, "qa.json"))?.entry.name, "qa_renamed");
    assert.equal(datasetInfoFor(join(dir, "chat", "openai.jsonl"))?.entry.name, "chat_openai_style");
    assert.equal(datasetInfoFor(join(dir, "unlisted.json")), undefined);
  });

  it("lint reads renamed Alpaca columns as the entry says: clean rows pass, a missing column is named", () => {
    const clean = run("lint", "--json", join(dir, "qa.json"));
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.deepEqual(findings(clean.stdout), []);
    // The same file without the entry: every row lacks `instruction` and `output`.
    const other = join(dir, "elsewhere");
    mkdirSync(other);
    writeFileSync(join(other, "qa.json"), JSON.stringify(qaRows, null, 2));
    writeFileSync(join(other, "dataset_info.json"), "{}");
    const unmapped = run("lint", "--json", join(other, "qa.json"));
    assert.ok(findings(unmapped.stdout).length > 0, unmapped.stdout);
    writeFileSync(join(dir, "qa_broken.json"), JSON.stringify([{ question: "Q?", context: "" }], null, 2));
    const info2 = join(dir, "info2.json");
    writeFileSync(info2, JSON.stringify({ broken: { file_name: "qa_broken.json", columns: { prompt: "question", query: "context", response: "answer" } } }));
    const missing = run("lint", "--json", "--dataset-info", info2, join(dir, "qa_broken.json"));
    assert.equal(missing.status, 1);
    assert.match(missing.stdout, /has no `answer`; add it/);
  });

  it("a columns object unsets the columns it does not name, as DatasetAttr.join does: an `input` beside renamed columns is unused", () => {
    const partial = join(dir, "partial");
    mkdirSync(partial);
    writeFileSync(join(partial, "dataset_info.json"), JSON.stringify({ qa: { file_name: "qa.jsonl", columns: { prompt: "question", response: "answer" } } }));
    writeFileSync(join(partial, "qa.jsonl"), `${JSON.stringify({ question: "Name a colour.", input: "LLaMA-Factory never reads this", answer: "Blue." })}\n`);
    const result = run("lint", "--json", join(partial, "qa.jsonl"));
    assert.deepEqual(findings(result.stdout), ["1 unused-key"]);
    const { mapping } = datasetInfoMapping(
      parseDatasetInfo(JSON.stringify({ qa: { file_name: "qa.jsonl", columns: { prompt: "question", response: "answer" } } }))[0],
    );
    assert.equal(mapping.instructionType?.input, undefined);
    assert.equal(mapping.instructionType?.system, undefined);
  });

  it("lint maps ShareGPT tags and columns: a renamed assistant tag is known, another role is not", () => {
    const result = run("lint", "--json", join(dir, "dialogs.json"));
    assert.deepEqual(findings(result.stdout), ["22 unknown-role"]);
    const chat = run("lint", "--json", join(dir, "chat", "openai.jsonl"));
    assert.deepEqual(findings(chat.stdout), []);
  });

  it("lint data/*.json checks dataset_info.json as one JSON object, not as rows: no finding a line, its syntax errors where they are; stats counts no rows in it", () => {
    const data = join(dir, "glob");
    mkdirSync(data);
    writeFileSync(join(data, "dataset_info.json"), JSON.stringify({ demo: { file_name: "demo.json" } }, null, 2));
    writeFileSync(join(data, "demo.json"), JSON.stringify([{ instruction: "Say hi.", input: "", output: "Hi." }], null, 2));
    const clean = run("lint", "--json", join(data, "dataset_info.json"), join(data, "demo.json"));
    assert.equal(clean.status, 0, clean.stdout + clean.stderr);
    assert.deepEqual(findings(clean.stdout), []);
    assert.match(clean.stderr, /dataset_info\.json holds one JSON object, not rows .*: its syntax is valid, and it is not linted as a dataset/);
    // Pretty-printed, with a missing comma on line 3 and a trailing one on line 4.
    writeFileSync(join(data, "dataset_info.json"), '{\n  "demo": {\n    "file_name": "demo.json"\n    "formatting": "alpaca",\n  }\n}\n');
    const broken = run("lint", "--json", join(data, "dataset_info.json"));
    assert.equal(broken.status, 1);
    assert.deepEqual(findings(broken.stdout), ["4 syntax", "5 syntax"]);
    assert.match(broken.stdout, /Comma expected/);
    // stats counts no rows in it (it counted each of its lines as an invalid row).
    writeFileSync(join(data, "dataset_info.json"), JSON.stringify({ demo: { file_name: "demo.json" } }, null, 2));
    const stats = run("stats", "--json", join(data, "dataset_info.json"), join(data, "demo.json"));
    assert.equal(stats.status, 0, stats.stderr);
    const files = (JSON.parse(stats.stdout) as { files: Array<{ file: string; rows: number; invalidRows: number }> }).files;
    assert.deepEqual(
      files.map((f) => [f.rows, f.invalidRows]),
      [
        [0, 0],
        [1, 0],
      ],
    );
    assert.match(stats.stderr, /dataset_info\.json holds one JSON object, not rows .*: it counts no rows/);
  });

  it("a broken dataset_info.json named on the command line exits 2; one found beside the file is a note", () => {
    const broken = join(dir, "broken_info.json");
    writeFileSync(broken, "{ nope");
    const named = run("lint", "--dataset-info", broken, join(dir, "qa.json"));
    assert.equal(named.status, 2);
    assert.match(named.stderr, /dataset_info.json is not valid JSON/);
    const folder = join(dir, "beside");
    mkdirSync(folder);
    writeFileSync(join(folder, "dataset_info.json"), "{ nope");
    writeFileSync(join(folder, "rows.jsonl"), `${JSON.stringify({ instruction: "Say hi.", output: "Hi." })}\n`);
    const beside = run("lint", join(folder, "rows.jsonl"));
    assert.equal(beside.status, 0);
    assert.match(beside.stderr, /note: dataset_info.json is not valid JSON.*read by its keys/);
  });
});
