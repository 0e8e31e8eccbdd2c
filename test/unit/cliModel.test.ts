import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { detectRowFormat } from "../../src/core/formats/detect";
import { repoRoot } from "../launch/paths";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { writeTinyModel } from "../support/tinyModel";
import { runCli } from "../support/cliProcess";
import { scratchDir } from "./scratchDir";

const dir = scratchDir("instruct-studio-cli-model-");
const model = join(dir, "tiny.gguf");
const mute = join(dir, "mute.gguf");

const run = runCli;

function dataset(name: string, sample: string, transform = (t: string) => t): string {
  const path = join(dir, name);
  writeFileSync(path, transform(readFileSync(join(repoRoot, "samples", sample), "utf8")));
  return path;
}

describe("instruct-studio generate and critique", () => {
  let server: TestServer;
  before(async () => {
    writeTinyModel(model);
    // Ends every string at once: every entry it writes is empty, so none is accepted.
    writeTinyModel(mute, { endLogit: 40 });
    server = await startOpenAiServer();
  });
  after(() => server.close());

  it("generate --append adds accepted entries atomically; every original line stays byte-identical", async () => {
    const crlf = dataset("crlf.jsonl", "alpaca.jsonl", (t) => t.replace(/\n/g, "\r\n").replace(/\r\n$/, ""));
    const before = readFileSync(crlf);
    const result = await run("generate", crlf, "--model", model, "--count", "2", "--append", "--seed", "4", "--cpu");
    assert.equal(result.status, 0, result.stderr);
    const after = readFileSync(crlf);
    assert.ok(after.subarray(0, before.length).equals(before), "the original bytes are the new file's prefix");
    const added = after.subarray(before.length).toString("utf8");
    assert.match(added, /^\r\n/);
    const rows = added.split("\r\n").filter(Boolean);
    assert.equal(rows.length, 2);
    for (const row of rows) assert.equal(detectRowFormat(JSON.parse(row)), "alpaca");
    assert.equal(result.stdout.trim().split("\n").length, 2);
    assert.match(result.stderr, /2 accepted, \d+ rejected/);
  });

  it("generate --json prints one array in the file's format, through an HTTP server too", async () => {
    const sharegpt = dataset("sharegpt.jsonl", "sharegpt.jsonl");
    for (const backend of [model, server.url]) {
      const result = await run("generate", sharegpt, "--model", backend, "--count", "2", "--json", "--seed", "1", "--cpu");
      assert.equal(result.status, 0, result.stderr);
      const entries = JSON.parse(result.stdout) as unknown[];
      assert.equal(entries.length, 2);
      for (const entry of entries) assert.equal(detectRowFormat(entry), "sharegpt");
    }
    assert.equal(readFileSync(sharegpt, "utf8"), readFileSync(join(repoRoot, "samples", "sharegpt.jsonl"), "utf8"), "without --append the file is untouched");
  });

  it("generate exits 1 when nothing passes the filters, with the reasons on stderr", async () => {
    const file = dataset("nothing.jsonl", "alpaca.jsonl");
    const result = await run("generate", file, "--model", mute, "--count", "1", "--cpu");
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /rejected: /);
    assert.equal(result.stdout, "");
  });

  it("critique --json prints exactly {score, rationale, issues} with an integer score from 1 to 5", async () => {
    const file = dataset("critique.jsonl", "openai-messages.jsonl");
    for (const backend of [model, server.url]) {
      const result = await run("critique", file, "--line", "1", "--model", backend, "--json", "--cpu");
      assert.equal(result.status, 0, result.stderr);
      const critique = JSON.parse(result.stdout);
      assert.deepEqual(Object.keys(critique), ["score", "rationale", "issues"]);
      assert.ok(Number.isInteger(critique.score) && critique.score >= 1 && critique.score <= 5);
    }
  });

  it("critique of a whole file with a GGUF: parallel sequences of one context, one result line per row, resumable", async () => {
    const file = dataset("critique-file.jsonl", "alpaca.jsonl");
    const out = join(dir, "critique-file.results.jsonl");
    const first = await run("critique", file, "--model", model, "--lines", "1-3", "--concurrency", "2", "--out", out, "--json", "--cpu");
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stderr, /× 2 sequence/);
    assert.equal(JSON.parse(first.stdout).judged, 3);
    const lines = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.line).sort(), [1, 2, 3]);
    for (const l of lines) assert.ok(Number.isInteger(l.score) && l.score >= 1 && l.score <= 5);
    const second = await run("critique", file, "--model", model, "--lines", "1-3", "--out", out, "--cpu");
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /3 of 3 rows already have a result/);
    assert.doesNotMatch(second.stderr, /Loaded/, "nothing left to judge: the model is not even loaded");
  });

  it("a missing model, a broken model and a bad line exit 2 or 1 with a clear message", async () => {
    const file = dataset("errors.jsonl", "alpaca.jsonl", (t) => `${t}{"broken": \n`);
    const broken = join(dir, "broken.gguf");
    copyFileSync(join(repoRoot, "package.json"), broken);
    const missing = await run("critique", file, "--line", "1", "--model", join(dir, "none.gguf"), "--json");
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /no such file/);
    const bad = await run("critique", file, "--line", "1", "--model", broken, "--json");
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /not a valid GGUF file/);
    const row = await run("critique", file, "--line", String(readFileSync(file, "utf8").split("\n").length - 1), "--model", model, "--json");
    assert.equal(row.status, 1);
    assert.match(row.stderr, /not an instruction row/);
    const down = await run("generate", file, "--model", "http://127.0.0.1:9/v1", "--count", "1");
    assert.equal(down.status, 2);
    assert.match(down.stderr, /Cannot reach the model server/);
  });
});
