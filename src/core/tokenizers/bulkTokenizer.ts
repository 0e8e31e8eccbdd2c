import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { ggufFromTokenizerJson } from "./ggufWriter";
import { loadGgufTokenizer } from "./ggufTokenizer";
import { loadTokenizerFolder } from "./huggingFaceTokenizer";
import { LoadedTokenizer, loadModelTokenizer } from "./loadTokenizer";

/**
 * llama.cpp names of the byte-level BPE pre-tokenizers whose regex it implements natively,
 * keyed by the regex of tokenizer.json's Split (what llama.cpp's converter recognises by hash).
 */
const llamaCppPreTokenizers: Record<string, string> = {
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": "llama-bpe",
  "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+": "qwen2",
};

interface TokenizerJsonShape {
  model?: { type?: string };
  normalizer?: { type?: string } | null;
  pre_tokenizer?: { type?: string; pretokenizers?: Array<{ type?: string; pattern?: { Regex?: string }; behavior?: string; use_regex?: boolean }> } | null;
}

/** The llama.cpp pre-tokenizer equivalent to a tokenizer.json's, or why there is none. */
export function llamaCppEquivalent(json: TokenizerJsonShape): { pre: string; nfc: boolean } | { reason: string } {
  if (json.model?.type !== "BPE") return { reason: `its model is ${json.model?.type ?? "unknown"}, not byte-level BPE` };
  const normalizer = json.normalizer?.type;
  if (normalizer && normalizer !== "NFC") return { reason: `it has a ${normalizer} normalizer` };
  const steps = json.pre_tokenizer?.type === "Sequence" ? (json.pre_tokenizer.pretokenizers ?? []) : [];
  const [split, byteLevel] = steps;
  const pre = split?.type === "Split" && split.behavior === "Isolated" ? llamaCppPreTokenizers[split.pattern?.Regex ?? ""] : undefined;
  if (steps.length !== 2 || !pre || byteLevel?.type !== "ByteLevel" || byteLevel.use_regex !== false)
    return { reason: "llama.cpp has no pre-tokenizer known to match its own" };
  return { pre, nfc: normalizer === "NFC" };
}

/** Where vocabulary GGUFs written from tokenizer folders are kept. */
export function tokenizerCacheDirectory(): string {
  const base =
    process.env.INSTRUCT_STUDIO_CACHE_DIR ??
    (process.env.XDG_CACHE_HOME ? join(process.env.XDG_CACHE_HOME, "instruct-studio") : join(homedir(), ".cache", "instruct-studio"));
  return join(base, "vocabularies");
}

/** Bumped when the written GGUF changes, so old cache entries are not reused. */
const writerVersion = 1;

function vocabularyPath(dir: string, pre: string, cacheDir: string): string {
  const hash = createHash("sha256").update(`v${writerVersion} ${pre}\n`);
  for (const name of ["tokenizer.json", "tokenizer_config.json"]) if (existsSync(join(dir, name))) hash.update(readFileSync(join(dir, name)));
  return join(cacheDir, `${hash.digest("hex").slice(0, 32)}.gguf`);
}

/** Mixed text that tells tokenizers apart: scripts, digits, spaces, line breaks, emoji, apostrophes. */
const probe =
  "Hello, world! It's 2024-11-23: 12345 + 0.5 = ?\n\n\t  한국어 문장입니다. 日本語とㄱ. Ünïcödé café ﬁ 🎉🚀 <b>&amp;</b>   trailing   \r\n{\"k\": [1, 2]} I'LL DON'T";

export interface BulkTokenizer {
  tokenizer: LoadedTokenizer;
  /** How counting is done, for the report. */
  note: string;
  /** The vocabulary GGUF used for counting, for other processes of the same run. */
  vocabulary?: string;
}

/**
 * The fastest exact tokenizer for counting a whole dataset. A tokenizer folder whose BPE
 * llama.cpp implements natively is written once as a vocabulary GGUF (cached by content hash)
 * and counted by llama.cpp, about four times faster than @huggingface/tokenizers here; it is
 * used only when it gives the folder's ids on a probe text and on the dataset's own `samples`,
 * else the folder's tokenizer counts. A GGUF is counted by llama.cpp anyway.
 */
export async function loadBulkTokenizer(path: string, options: { samples?: string[]; vocabulary?: string; cacheDir?: string } = {}): Promise<BulkTokenizer> {
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory()) return { tokenizer: await loadModelTokenizer(path), note: "llama.cpp" };
  const folder = loadTokenizerFolder(path);
  const json = JSON.parse(readFileSync(join(path, "tokenizer.json"), "utf8")) as TokenizerJsonShape;
  const equivalent = llamaCppEquivalent(json);
  if ("reason" in equivalent) return { tokenizer: folder, note: `@huggingface/tokenizers (no llama.cpp fast path: ${equivalent.reason})` };
  let vocabulary = options.vocabulary;
  try {
    if (!vocabulary) {
      const cacheDir = options.cacheDir ?? tokenizerCacheDirectory();
      vocabulary = vocabularyPath(path, equivalent.pre, cacheDir);
      if (!existsSync(vocabulary)) {
        mkdirSync(cacheDir, { recursive: true });
        const partial = `${vocabulary}.${process.pid}.partial`;
        ggufFromTokenizerJson(partial, path, equivalent.pre);
        renameSync(partial, vocabulary);
      }
    }
    const gguf = await loadGgufTokenizer(vocabulary);
    const encode = equivalent.nfc ? (text: string) => gguf.encode(text.normalize("NFC")) : gguf.encode;
    const texts = options.vocabulary ? [] : [probe, ...(options.samples ?? [])];
    const differs = texts.find((text) => !sameIds(encode(text), folder.encode(text)));
    if (differs !== undefined) {
      await gguf.dispose();
      return { tokenizer: folder, note: "@huggingface/tokenizers (llama.cpp's ids differed on a sample)" };
    }
    const tokenizer: LoadedTokenizer = { ...folder, encode, count: (text) => encode(text).length, dispose: gguf.dispose };
    return { tokenizer, note: `llama.cpp, vocabulary written once to ${vocabulary}`, vocabulary };
  } catch (error) {
    if (vocabulary && !options.vocabulary) rmSync(vocabulary, { force: true });
    return { tokenizer: folder, note: `@huggingface/tokenizers (llama.cpp could not load the vocabulary: ${(error as Error).message})` };
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
