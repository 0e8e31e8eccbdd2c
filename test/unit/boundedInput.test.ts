// Issue 18's byte-level pieces under plain Node: the SSE reader, bounded bodies, config numbers,
// the GGUF checks and what the CLI says of a crashed child.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { crashCause } from "../../src/cli/crashCause";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { maxReplyBytes } from "../../src/core/model/modelDefaults";
import { readBounded, sseData, SseLineTooLongError } from "../../src/core/model/sse";
import { checkGgufFile } from "../../src/core/tokenizers/ggufHeader";
import { GgufValue, writeGguf } from "../../src/core/tokenizers/ggufWriter";
import { scratchDir } from "./scratchDir";

async function* chunks(...parts: Array<string | Uint8Array>): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield typeof part === "string" ? new TextEncoder().encode(part) : part;
}

async function collect(source: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of source) out.push(item);
  return out;
}

describe("server-sent events are read once and bounded", () => {
  it("splits events across chunks, CRLF and multi-byte characters split between chunks", async () => {
    const korean = new TextEncoder().encode('data: {"t":"한국어"}\r\n\r\n');
    const cut = 12; // inside the first Hangul syllable's bytes
    const events = await collect(
      sseData(chunks('data: {"a":1}\n\nda', 'ta: {"b":2}\n', korean.subarray(0, cut), korean.subarray(cut), ": comment\n", "data: [DONE]\n", "data: after\n")),
    );
    assert.deepEqual(events, ['{"a":1}', '{"b":2}', '{"t":"한국어"}']);
  });

  it("a line that never ends stops at the limit instead of growing", async () => {
    async function* endless(): AsyncGenerator<Uint8Array> {
      const piece = new Uint8Array(64 * 1024).fill(0x78);
      yield new TextEncoder().encode("data: ");
      for (let i = 0; i < 10_000; i++) yield piece;
    }
    await assert.rejects(collect(sseData(endless(), 1024 * 1024)), SseLineTooLongError);
  });

  it("one line in 20,000 one-byte chunks is one event", async () => {
    const line = `data: {"x":"${"y".repeat(20_000)}"}\n`;
    const bytes = new TextEncoder().encode(line);
    const pieces = Array.from(bytes, (b) => Uint8Array.of(b));
    const events = await collect(sseData(chunks(...pieces)));
    assert.equal(events.length, 1);
    assert.equal(events[0].length, line.length - 7);
  });

  it("a body is read only up to its limit", async () => {
    const big = new Uint8Array(100_000).fill(0x41);
    const { text, truncated } = await readBounded(chunks(big, big, big), 150_000);
    assert.equal(text.length, 150_000);
    assert.equal(truncated, true);
    assert.deepEqual(await readBounded(chunks("short"), 100), { text: "short", truncated: false });
  });

  it("a reply is bounded by its tokens and by a row's own limit", () => {
    assert.equal(maxReplyBytes(768), 48 * 1024);
    assert.equal(maxReplyBytes(10_000_000), 16 * 1024 * 1024);
  });
});

describe("training config numbers", () => {
  it("names each refused key at its value's place and uses none of them", () => {
    const config = parseTrainingConfig(
      "datasets:\n  - path: d.jsonl\n    type: alpaca\nsequence_len: .inf\nmicro_batch_size: 1e300\ngradient_accumulation_steps: abc\nnum_epochs: 0\nwarmup_ratio: 5\n",
    );
    assert.deepEqual(
      config.problems?.map((p) => [p.key, p.line, p.column]),
      [
        ["sequence_len", 3, 14],
        ["micro_batch_size", 4, 18],
        ["gradient_accumulation_steps", 5, 29],
        ["num_epochs", 6, 12],
        ["warmup_ratio", 7, 14],
      ],
    );
    assert.equal(config.sequenceLen, undefined);
    assert.deepEqual(
      [config.schedule?.microBatchSize, config.schedule?.gradientAccumulationSteps, config.schedule?.numEpochs, config.schedule?.warmupRatio],
      [undefined, undefined, undefined, undefined],
    );
  });

  it("accepts ordinary values, numeric strings as pydantic reads them, and leaves null keys unset", () => {
    const config = parseTrainingConfig(
      'sequence_len: 4096\nmicro_batch_size: "2"\ngradient_accumulation_steps: 4\nnum_epochs: 1.5\nwarmup_ratio: 0.1\nwarmup_steps: ~\n',
    );
    assert.equal(config.problems, undefined);
    assert.equal(config.sequenceLen, 4096);
    assert.deepEqual(
      [
        config.schedule?.microBatchSize,
        config.schedule?.gradientAccumulationSteps,
        config.schedule?.numEpochs,
        config.schedule?.warmupRatio,
        config.schedule?.warmupSteps,
      ],
      [2, 4, 1.5, 0.1, undefined],
    );
  });
});

describe("GGUF files are checked for what llama.cpp requires before it reads them", () => {
  const dir = scratchDir("gguf-checks-");
  const base: Record<string, GgufValue> = {
    "general.architecture": { type: "string", value: "llama" },
    "llama.context_length": { type: "u32", value: 128 },
    "llama.embedding_length": { type: "u32", value: 8 },
    "llama.block_count": { type: "u32", value: 1 },
    "tokenizer.ggml.model": { type: "string", value: "gpt2" },
    "tokenizer.ggml.tokens": { type: "strings", value: ["a", "b"] },
    "tokenizer.ggml.merges": { type: "strings", value: ["a b"] },
  };
  const write = (name: string, metadata: Record<string, GgufValue>) => {
    const path = join(dir, `${name}.gguf`);
    writeGguf(path, metadata, []);
    return path;
  };
  const without = (key: string) => Object.fromEntries(Object.entries(base).filter(([k]) => k !== key));

  it("passes a complete header", () => checkGgufFile(write("complete", base)));

  for (const [key, message] of [
    ["general.architecture", /no general\.architecture/],
    ["llama.context_length", /no llama\.context_length, which llama\.cpp requires of a llama model/],
    ["llama.block_count", /no llama\.block_count/],
    ["tokenizer.ggml.model", /no tokenizer\.ggml\.model/],
    ["tokenizer.ggml.tokens", /no tokenizer\.ggml\.tokens/],
    ["tokenizer.ggml.merges", /gpt2 vocabulary has no tokenizer\.ggml\.merges/],
  ] as const) {
    it(`refuses a file without ${key}`, () => assert.throws(() => checkGgufFile(write(`no-${key}`, without(key))), message));
  }

  it("refuses a context length that is not a whole number", () => {
    assert.throws(
      () => checkGgufFile(write("float-context", { ...base, "llama.context_length": { type: "f32", value: 1.5 } })),
      /llama\.context_length is not a whole number/,
    );
  });
});

describe("what the CLI says of a child that died", () => {
  it("tells memory, llama.cpp and the out-of-memory killer apart", () => {
    assert.equal(crashCause("FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory", "SIGABRT"), "it ran out of memory");
    assert.match(
      crashCause("terminate called after throwing an instance of 'std::runtime_error'\n  what():  key not found in model: llama.context_length\n", "SIGABRT"),
      /llama\.cpp gave up reading a model file \(key not found in model: llama\.context_length\)/,
    );
    assert.match(crashCause("", "SIGKILL"), /out-of-memory killer/);
    assert.match(crashCause("", "SIGSEGV"), /crashed/);
  });
});
