import { statSync } from "node:fs";
import { loadGgufTokenizer } from "./ggufTokenizer";
import { loadTokenizerFolder } from "./huggingFaceTokenizer";
import type { ModelTokenizer } from "./modelTokenizer";

export type LoadedTokenizer = ModelTokenizer & {
  chatTemplate?: string;
  chatTemplateFile?: string;
  config?: Record<string, unknown>;
  dispose?: () => Promise<void>;
};

/**
 * The model's own tokenizer: a Hugging Face folder (tokenizer.json) through
 * @huggingface/tokenizers, or a GGUF file's vocabulary through llama.cpp (vocabulary only).
 */
export async function loadModelTokenizer(path: string): Promise<LoadedTokenizer> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`No tokenizer at ${path}`);
  return stat.isDirectory() ? loadTokenizerFolder(path) : loadGgufTokenizer(path);
}
