import { statSync } from "node:fs";
import { LoadedTokenizer, loadModelTokenizer } from "../core/tokenizers/loadTokenizer";

const tokenizers = new Map<string, { mtimeMs: number; tokenizer: Promise<LoadedTokenizer> }>();

/** Loads a worker's tokenizer once, and again only when its file changes. */
export async function cachedTokenizer(path: string): Promise<{ tokenizer: LoadedTokenizer; loadMs?: number }> {
  const mtimeMs = statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? -1;
  const cached = tokenizers.get(path);
  if (cached && cached.mtimeMs === mtimeMs) return { tokenizer: await cached.tokenizer };
  if (cached)
    void cached.tokenizer.then(
      (t) => t.dispose?.(),
      () => undefined,
    );
  const started = performance.now();
  const tokenizer = loadModelTokenizer(path);
  tokenizers.set(path, { mtimeMs, tokenizer });
  try {
    return { tokenizer: await tokenizer, loadMs: performance.now() - started };
  } catch (error) {
    tokenizers.delete(path);
    throw error;
  }
}
