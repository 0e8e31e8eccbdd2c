import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { HttpBackend } from "../../src/backend/httpBackend";
import { LlamaWorkerBackend } from "../../src/backend/llamaBackend";
import { entrySchema } from "../../src/core/generation/entrySchema";
import { ModelError } from "../../src/core/model/backend";
import { repoRoot } from "../launch/paths";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { testWords, writeTinyModel } from "../support/tinyModel";
import { scratchDir } from "./scratchDir";

const outDir = join(repoRoot, "out");
const dir = scratchDir("instruct-studio-models-");
const modelPath = join(dir, "tiny.gguf");
const ask = [{ role: "user" as const, content: "Write one entry." }];

async function rejects(promise: Promise<unknown>, kind: ModelError["kind"], pattern: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof ModelError, String(error));
    assert.equal(error.kind, kind, error.message);
    assert.match(error.message, pattern);
    return true;
  });
}

describe("node-llama-cpp backend (its own process, a GGUF built by the test)", () => {
  let backend: LlamaWorkerBackend;
  before(() => {
    writeTinyModel(modelPath);
    backend = new LlamaWorkerBackend(outDir, { modelPath, contextSize: 2048, sequences: 2, gpu: false, stallTimeoutMs: 60_000 });
  });
  after(() => backend.dispose());

  it("loads in a worker process, on the CPU here, with progress", async () => {
    const progress: number[] = [];
    const info = await backend.prepare((f) => progress.push(f));
    assert.equal(info.loaded, true);
    assert.equal(info.device, "cpu");
    assert.equal(info.contextSize, 2048);
    assert.ok(progress.length > 0 && progress[progress.length - 1] === 1, progress.join());
    assert.ok(backend.pid && backend.pid !== process.pid);
  });

  it("generates grammar-valid JSON of the format's schema, streamed in chunks", async () => {
    const chunks: string[] = [];
    const result = await backend.generate({ messages: ask, schema: entrySchema("alpaca"), maxTokens: 400, temperature: 0.7, seed: 1 }, (c) => chunks.push(c));
    const entry = JSON.parse(result.text);
    assert.deepEqual(Object.keys(entry), ["instruction", "input", "output"]);
    assert.ok(
      entry.instruction.split(" ").some((w: string) => testWords.includes(w)),
      entry.instruction,
    );
    assert.equal(chunks.join(""), result.text);
    assert.equal(result.stopReason, "end");
    assert.ok((result.promptTokens ?? 0) > 0 && result.firstTokenMs !== undefined);
  });

  it("runs two requests at once on two sequences of one context", async () => {
    const results = await Promise.all(
      [1, 2].map((seed) => backend.generate({ messages: ask, schema: entrySchema("alpaca"), maxTokens: 400, temperature: 0.7, seed })),
    );
    assert.equal(results.length, 2);
    for (const r of results) JSON.parse(r.text);
  });

  it("reports a reply cut at maxTokens, and stops on cancel with the partial text", async () => {
    const cut = await backend.generate({ messages: ask, schema: entrySchema("alpaca"), maxTokens: 5, temperature: 0.7, seed: 1 });
    assert.equal(cut.stopReason, "maxTokens");
    const controller = new AbortController();
    let received = 0;
    const cancelled = await backend.generate(
      { messages: ask, schema: entrySchema("s1k"), maxTokens: 1500, temperature: 0.7, seed: 2 },
      () => ++received === 3 && controller.abort(),
      controller.signal,
    );
    assert.equal(cancelled.stopReason, "abort");
    assert.ok(cancelled.text.length > 0);
  });

  it("refuses a prompt longer than the context instead of cutting it", async () => {
    await rejects(
      backend.generate({ messages: [{ role: "user", content: "alpha ".repeat(3000) }], maxTokens: 100 }),
      "context",
      /does not fit the context of 2,048 tokens/,
    );
  });

  it("a killed worker fails the request in flight clearly, and the next request starts a new one", async () => {
    const first = backend.pid!;
    const pending = backend.generate({ messages: ask, schema: entrySchema("s1k"), maxTokens: 1500, temperature: 0.7, seed: 3 }, () =>
      process.kill(first, "SIGKILL"),
    );
    await rejects(pending, "crashed", /model process stopped .*SIGKILL.*Nothing was written/);
    const again = await backend.generate({ messages: ask, maxTokens: 50, temperature: 0.7, seed: 1 });
    assert.ok(backend.pid !== first);
    assert.ok(["end", "maxTokens"].includes(again.stopReason));
  });

  it("a worker that stops answering is killed after the stall time", async () => {
    const stalled = new LlamaWorkerBackend(outDir, { modelPath, contextSize: 2048, sequences: 1, gpu: false, stallTimeoutMs: 60_000 });
    try {
      await stalled.prepare();
      process.kill(stalled.pid!, "SIGSTOP");
      const quick = new LlamaWorkerBackend(outDir, { modelPath, contextSize: 2048, sequences: 1, gpu: false, stallTimeoutMs: 800 });
      (quick as unknown as { process: unknown }).process = (stalled as unknown as { process: unknown }).process;
      (quick as unknown as { loaded: unknown }).loaded = (stalled as unknown as { loaded: unknown }).loaded;
      await rejects(quick.generate({ messages: ask, maxTokens: 20 }), "hung", /stopped responding/);
    } finally {
      stalled.dispose();
    }
  });

  it("a missing, a non-GGUF and a truncated file each get a clear error", async () => {
    const garbage = join(dir, "garbage.gguf");
    writeFileSync(garbage, "this is not a model");
    const truncated = join(dir, "truncated.gguf");
    writeFileSync(truncated, Buffer.concat([Buffer.from("GGUF"), Buffer.from([3, 0, 0, 0]), Buffer.alloc(16, 0xff)]));
    for (const [path, pattern] of [
      [join(dir, "missing.gguf"), /does not exist/],
      [garbage, /not a valid GGUF file.*no GGUF magic/],
      [truncated, /not a valid GGUF file/],
    ] as const) {
      const broken = new LlamaWorkerBackend(outDir, { modelPath: path, contextSize: 512, sequences: 1, gpu: false, stallTimeoutMs: 30_000 });
      try {
        await rejects(broken.prepare(), "file", pattern);
      } finally {
        broken.dispose();
      }
    }
  });
});

describe("OpenAI-compatible HTTP backend (a server the test starts on 127.0.0.1)", () => {
  let server: TestServer;
  before(async () => (server = await startOpenAiServer()));
  after(() => server.close());
  const http = (options: Partial<ConstructorParameters<typeof HttpBackend>[0]> = {}) =>
    new HttpBackend({ url: server.url, parallel: 2, stallTimeoutMs: 5000, ...options });

  it("asks the server for its model, streams the reply and sends the schema as response_format", async () => {
    Object.assign(server.behaviour, { chunkDelayMs: 0, stallAfterChunks: undefined, failWith: undefined, rejectResponseFormat: false });
    const backend = http();
    assert.equal((await backend.prepare()).label, `test-model @ ${server.url}`);
    const chunks: string[] = [];
    const result = await backend.generate({ messages: ask, schema: entrySchema("alpaca"), maxTokens: 300, temperature: 0.7 }, (c) => chunks.push(c));
    assert.ok(chunks.length > 2);
    assert.deepEqual(Object.keys(JSON.parse(result.text)), ["instruction", "input", "output"]);
    assert.equal(result.promptTokens, 42);
    const body = server.requests[server.requests.length - 1].body;
    assert.equal(body.model, "test-model");
    assert.equal(body.stream, true);
    assert.deepEqual((body.response_format as { json_schema: { schema: unknown } }).json_schema.schema, entrySchema("alpaca"));
  });

  it("falls back to the prompt alone when the server rejects response_format", async () => {
    Object.assign(server.behaviour, { rejectResponseFormat: true });
    const backend = http({ model: "m" });
    const result = await backend.generate({ messages: ask, schema: entrySchema("alpaca"), maxTokens: 300 });
    assert.equal(result.text, "Water evaporates, forms clouds and falls as rain.");
    server.behaviour.rejectResponseFormat = false;
  });

  it("a server error, an unreachable server, a stalled stream and a cancel each end clearly", async () => {
    server.behaviour.failWith = { status: 400, message: "the request exceeds the available context size" };
    await rejects(http({ model: "m" }).generate({ messages: ask, maxTokens: 10 }), "context", /answered 400: the request exceeds/);
    server.behaviour.failWith = { status: 500, message: "CUDA error: out of memory" };
    await rejects(http({ model: "m" }).generate({ messages: ask, maxTokens: 10 }), "server", /answered 500: CUDA error/);
    server.behaviour.failWith = undefined;
    await rejects(
      new HttpBackend({ url: "http://127.0.0.1:9/v1", parallel: 1, stallTimeoutMs: 2000 }).generate({ messages: ask, maxTokens: 10 }),
      "server",
      /Cannot reach the model server/,
    );
    server.behaviour.stallAfterChunks = 2;
    await rejects(
      http({ model: "m", stallTimeoutMs: 300 }).generate({ messages: ask, maxTokens: 10 }),
      "hung",
      /sent no text for 0 s; the request was abandoned/,
    );
    server.behaviour.stallAfterChunks = undefined;
    server.behaviour.chunkDelayMs = 50;
    const controller = new AbortController();
    await rejects(
      http({ model: "m" }).generate({ messages: ask, maxTokens: 10 }, () => controller.abort(), controller.signal),
      "cancelled",
      /Cancelled/,
    );
    server.behaviour.chunkDelayMs = 0;
  });

  it("sends raw completions (Genstruct) to /completions with their stop strings", async () => {
    const result = await http({ model: "m" }).generate({ prompt: "[[[Title]]] t\n[[[Content]]] c\n\n[[[User]]] ", stop: ["[[[User]]]"], maxTokens: 100 });
    assert.match(result.text, /\[\[\[Assistant\]\]\]/);
    const last = server.requests[server.requests.length - 1];
    assert.equal(last.path, "/v1/completions");
    assert.deepEqual(last.body.stop, ["[[[User]]]"]);
  });
});
