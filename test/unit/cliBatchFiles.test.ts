import assert from "node:assert/strict";
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { critiqueRequest } from "../../src/core/batch/critiqueRows";
import { rowHash } from "../../src/core/batch/rowHash";
import { critiqueSchema } from "../../src/core/generation/critique";
import { repoRoot } from "../launch/paths";
import { exampleFor, startOpenAiServer, TestServer } from "../support/openaiServer";
import { runCli } from "../support/cliProcess";
import { scratchDir } from "./scratchDir";

const dir = scratchDir("instruct-studio-batch-");

const run = runCli;

const jsonLines = (path: string) =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter(Boolean)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read the files' fields freely
    .map((l) => JSON.parse(l) as Record<string, any>);

const alpaca = (i: number) => JSON.stringify({ instruction: `Describe step ${i} of making bread.`, input: "", output: `Step ${i}: knead the dough.` });

/** A chat completion as a batch engine writes it: OpenAI's wrapped shape, or vLLM's README shape (the completion itself). */
function outputLine(customId: string, content: string, shape: "openai" | "vllm", finishReason = "stop"): string {
  const completion = {
    id: `chatcmpl-${customId}`,
    object: "chat.completion",
    choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: finishReason }],
  };
  const response = shape === "openai" ? { status_code: 200, request_id: `req-${customId}`, body: completion } : completion;
  return JSON.stringify({ id: `batch-${customId}`, custom_id: customId, response, error: null });
}

describe("batch files for vllm run-batch and OpenAI's Batch API", () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAiServer();
  });
  after(() => server.close());

  it("critique --batch-requests writes one request per distinct row, with the online run's prompt and schema, calling no model", async () => {
    const rows = [alpaca(1), alpaca(2), alpaca(1), alpaca(3)];
    const file = join(dir, "rows.jsonl");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const requests = join(dir, "requests.jsonl");
    const sent = server.requests.length;
    const written = await run("critique", file, "--batch-requests", requests, "--model", "Qwen/Qwen3-8B");
    assert.equal(written.status, 0, written.stderr);
    assert.equal(server.requests.length, sent);
    const lines = jsonLines(requests);
    assert.deepEqual(
      lines.map((l) => l.custom_id),
      [rowHash(rows[0]), rowHash(rows[1]), rowHash(rows[3])],
    );
    for (const line of lines) {
      assert.equal(line.method, "POST");
      assert.equal(line.url, "/v1/chat/completions");
      assert.equal(line.body.model, "Qwen/Qwen3-8B");
      assert.equal(line.body.stream, undefined);
      assert.deepEqual(line.body.response_format.json_schema.schema, critiqueSchema);
    }
    assert.deepEqual(lines[0].body.messages, critiqueRequest(rows[0], "Alpaca").messages);
    // The same body as an online run sends, but for streaming and the model's name.
    const online = await run("critique", file, "--line", "1", "--model", server.url);
    assert.equal(online.status, 0, online.stderr);
    const { stream: _stream, stream_options: _options, model: _model, ...onlineBody } = server.requests.at(-1)!.body;
    const { model: _batchModel, ...batchBody } = lines[0].body;
    assert.deepEqual(batchBody, onlineBody);
  });

  it("critique --batch-results reads both output shapes into the same results, names failures, and a rerun's requests are only for rows without a result", async () => {
    const rows = [alpaca(11), alpaca(12), alpaca(13), alpaca(14), alpaca(15)];
    const file = join(dir, "results.jsonl");
    writeFileSync(file, `${rows.join("\n")}\n`);
    const requests = join(dir, "requests2.jsonl");
    assert.equal((await run("critique", file, "--batch-requests", requests, "--model", "m")).status, 0);
    const ids = jsonLines(requests).map((l) => l.custom_id as string);
    const critiques = ids.map((_, i) => exampleFor(critiqueSchema, i) as { score: number; rationale: string });
    const output = join(dir, "output.jsonl");
    writeFileSync(
      output,
      [
        outputLine(ids[0], JSON.stringify(critiques[0]), "openai"),
        outputLine(ids[1], JSON.stringify(critiques[1]), "vllm"),
        outputLine(ids[2], JSON.stringify(critiques[2]).slice(0, 30), "openai", "length"),
        JSON.stringify({ id: "b", custom_id: ids[3], response: { status_code: 500, body: { error: { message: "engine died" } } }, error: null }),
      ].join("\n") + "\n",
    );
    const results = join(dir, "critiques.jsonl");
    const read = await run("critique", file, "--batch-results", output, "--out", results);
    assert.equal(read.status, 1);
    assert.match(read.stderr, /results\.jsonl:3: failed: The critique was cut off/);
    assert.match(read.stderr, /results\.jsonl:4: failed: status 500: engine died/);
    assert.match(read.stderr, /results\.jsonl:5: no result in/);
    const judged = jsonLines(results);
    assert.deepEqual(
      judged.map((r) => [r.line, r.hash, r.score, r.rationale]),
      [
        [1, ids[0], critiques[0].score, critiques[0].rationale],
        [2, ids[1], critiques[1].score, critiques[1].rationale],
      ],
    );
    const again = join(dir, "requests3.jsonl");
    assert.equal((await run("critique", file, "--batch-requests", again, "--model", "m", "--out", results)).status, 0);
    assert.deepEqual(
      jsonLines(again).map((l) => l.custom_id),
      ids.slice(2),
    );
  });

  it("generate's pair: --batch-requests writes --count Self-Instruct requests; --batch-results filters the replies as an online run and appends the accepted", async () => {
    const file = join(dir, "alpaca.jsonl");
    copyFileSync(join(repoRoot, "samples", "alpaca.jsonl"), file);
    const original = readFileSync(file);
    const requests = join(dir, "generate-requests.jsonl");
    const written = await run("generate", file, "--count", "3", "--batch-requests", requests, "--model", "m", "--seed", "7");
    assert.equal(written.status, 0, written.stderr);
    const lines = jsonLines(requests);
    assert.deepEqual(
      lines.map((l) => l.custom_id),
      ["generate-1", "generate-2", "generate-3"],
    );
    for (const line of lines) assert.ok(line.body.response_format.json_schema.schema.properties.instruction, "the format's schema");
    const fresh = { instruction: "Name the largest planet of the solar system.", input: "", output: "Jupiter." };
    const copy = JSON.parse(original.toString("utf8").split("\n")[0]);
    const output = join(dir, "generate-output.jsonl");
    writeFileSync(
      output,
      [
        outputLine("generate-1", JSON.stringify(fresh), "openai"),
        outputLine("generate-2", JSON.stringify(copy), "vllm"),
        outputLine("generate-3", "not json", "openai"),
      ].join("\n") + "\n",
    );
    const read = await run("generate", file, "--batch-results", output, "--append");
    assert.equal(read.status, 0, read.stderr);
    assert.match(read.stderr, /1 accepted, 2 rejected: 3 replies/);
    const after = readFileSync(file);
    assert.ok(after.subarray(0, original.length).equals(original));
    assert.deepEqual(JSON.parse(after.subarray(original.length).toString("utf8")), fresh);
  });

  it("several servers: requests spread over them, and a failing one's requests go to another", async () => {
    const other = await startOpenAiServer();
    const failing = await startOpenAiServer({ failWith: { status: 503, message: "overloaded" } });
    try {
      const file = join(dir, "spread.jsonl");
      writeFileSync(file, `${Array.from({ length: 12 }, (_, i) => alpaca(i + 30)).join("\n")}\n`);
      const before = server.requests.length;
      const spread = await run("critique", file, "--model", `${server.url},${other.url}`, "--concurrency", "4");
      assert.equal(spread.status, 0, spread.stderr);
      assert.equal(spread.stdout.trim().split("\n").length, 12);
      assert.ok(server.requests.length - before > 0 && other.requests.length > 0, `${server.requests.length - before} and ${other.requests.length}`);
      const failover = await run("critique", file, "--model", `${failing.url} ${other.url}`, "--concurrency", "4", "--out", join(dir, "failover.jsonl"));
      assert.equal(failover.status, 0, failover.stderr);
      assert.ok(failing.requests.length > 0);
      assert.equal(jsonLines(join(dir, "failover.jsonl")).length, 12);
    } finally {
      await other.close();
      await failing.close();
    }
  });
});
