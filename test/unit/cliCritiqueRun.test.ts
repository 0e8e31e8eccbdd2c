import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { rowHash } from "../../src/core/batch/rowHash";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { cliPath, runCli } from "../support/cliProcess";
import { scratchDir } from "./scratchDir";

const dir = scratchDir("instruct-studio-critique-run-");

const run = (args: string[]) => runCli(...args);

const alpaca = (i: number) => JSON.stringify({ instruction: `Explain item ${i} of the list.`, input: "", output: `Item ${i} is a thing.` });

function dataset(name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, `${rows.join("\n")}\n`);
  return path;
}

const results = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { line: number; hash: string; score: number; rationale: string; issues: unknown[] });

describe("instruct-studio critique over a whole file", () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(() => server.close());

  it("judges every row once, writes {line, hash, score, rationale, issues} per row, names what it could not judge, exits 1 for it", async () => {
    const rows = [alpaca(1), alpaca(2), alpaca(1), "{not json", "", alpaca(3)];
    const file = dataset("whole.jsonl", rows);
    const out = join(dir, "whole.results.jsonl");
    const sent = server.requests.length;
    const result = await run(["critique", file, "--model", server.url, "--out", out, "--json"]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, /whole\.jsonl:4: not valid JSON; not critiqued/);
    const written = results(out);
    assert.deepEqual(
      written.map((r) => Object.keys(r)),
      Array(4).fill(["line", "hash", "score", "rationale", "issues"]),
    );
    assert.deepEqual(written.map((r) => r.line).sort(), [1, 2, 3, 6]);
    for (const r of written) assert.equal(r.hash, rowHash(rows[r.line - 1]));
    assert.equal(server.requests.length - sent, 3, "a row repeated on line 3 is judged once, with line 1");
    const summary = JSON.parse(result.stdout);
    assert.deepEqual({ judged: summary.judged, skipped: summary.skipped, failed: summary.failed }, { judged: 4, skipped: [4], failed: [] });
  });

  it("resumes: rows whose content has a result are not asked again, an edited row is; a torn last line is cut and its row judged again", async () => {
    const rows = Array.from({ length: 8 }, (_, i) => alpaca(i + 10));
    const file = dataset("resume.jsonl", rows);
    const out = join(dir, "resume.results.jsonl");
    assert.equal((await run(["critique", file, "--model", server.url, "--out", out, "--lines", "1-5"])).status, 0);
    assert.equal(results(out).length, 5);
    // A kill in the middle of a write: a line without its end.
    appendFileSync(out, '{"line":6,"hash":"');
    rows[1] = alpaca(99);
    writeFileSync(file, `${rows.join("\n")}\n`);
    const sent = server.requests.length;
    const second = await run(["critique", file, "--model", server.url, "--out", out]);
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stderr, /4 of 8 rows already have a result/);
    assert.equal(server.requests.length - sent, 4, "rows 2 (edited), 6, 7 and 8");
    const text = readFileSync(out, "utf8");
    assert.ok(text.endsWith("\n") && !text.includes('"hash":"\n'), "only complete lines");
    const hashes = new Set(results(out).map((r) => r.hash));
    for (const row of rows) assert.ok(hashes.has(rowHash(row)));
  });

  it("honours Retry-After on 429, retries 503 with backoff, and does not retry a 400: that row is named and the exit is 1", async () => {
    const file = dataset("retry.jsonl", [alpaca(20), alpaca(21)]);
    server.behaviour.failNext = { count: 2, status: 429, retryAfterSeconds: 1 };
    const started = Date.now();
    const busy = await run(["critique", file, "--model", server.url, "--concurrency", "1"]);
    assert.equal(busy.status, 0, busy.stderr);
    assert.ok(Date.now() - started >= 2000, "two waits of the server's 1 s");
    assert.match(busy.stderr, /answered 429.*try 2 in 1\.0 s/);
    assert.equal(busy.stdout.trim().split("\n").length, 2);
    server.behaviour.failNext = { count: 1, status: 400, retryAfterSeconds: undefined };
    const refused = await run(["critique", file, "--model", server.url, "--concurrency", "1"]);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /retry\.jsonl:1: failed: .*answered 400/);
    assert.doesNotMatch(refused.stderr, /try 2/);
    assert.equal(refused.stdout.trim().split("\n").length, 1);
    server.behaviour.failNext = undefined;
  });

  it("SIGTERM leaves only complete lines and exits 1; the same command then finishes with every row scored once", async () => {
    const rows = Array.from({ length: 60 }, (_, i) => alpaca(i + 100));
    const file = dataset("interrupt.jsonl", rows);
    const out = join(dir, "interrupt.results.jsonl");
    server.behaviour.latencyMs = 100;
    try {
      const child = spawn(process.execPath, [cliPath, "critique", file, "--model", server.url, "--out", out, "--concurrency", "4"]);
      let stderr = "";
      child.stderr.on("data", (d) => (stderr += d));
      const poll = setInterval(() => {
        if (readFileSafe(out).split("\n").length <= 8) return;
        clearInterval(poll);
        child.kill("SIGTERM");
      }, 20);
      const [status] = (await once(child, "close")) as [number | null];
      clearInterval(poll);
      assert.equal(status, 1, stderr);
      assert.match(stderr, /SIGTERM: stopping/);
      assert.match(stderr, /interrupted: \d+ critiqued, \d+ not run; run the same command again/);
      const partial = readFileSync(out, "utf8");
      assert.ok(partial.endsWith("\n"));
      const kept = results(out).length;
      assert.ok(kept >= 8 && kept < 60, `${kept} results kept`);
      const second = await run(["critique", file, "--model", server.url, "--out", out, "--concurrency", "8"]);
      assert.equal(second.status, 0, second.stderr);
      const all = results(out);
      assert.equal(all.length, 60);
      assert.equal(new Set(all.map((r) => r.line)).size, 60);
    } finally {
      server.behaviour.latencyMs = undefined;
    }
  });
});

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}
