import { Tokenizer } from "@huggingface/tokenizers";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { TokenCounter } from "./tokenCounter";

export class TokenizerLoadError extends Error {}

function readJson(path: string): object {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as object;
  } catch (error) {
    throw new TokenizerLoadError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

/** A Hugging Face model folder's tokenizer (tokenizer.json and tokenizer_config.json). */
export function loadTokenizerFolder(dir: string): TokenCounter & { tokenizer: Tokenizer; config: Record<string, unknown> } {
  const tokenizerFile = join(dir, "tokenizer.json");
  if (!existsSync(tokenizerFile)) throw new TokenizerLoadError(`${dir} has no tokenizer.json`);
  const configFile = join(dir, "tokenizer_config.json");
  const config = (existsSync(configFile) ? readJson(configFile) : {}) as Record<string, unknown>;
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(readJson(tokenizerFile), config);
  } catch (error) {
    throw new TokenizerLoadError(`${tokenizerFile} is not a tokenizer this version can read: ${(error as Error).message}`);
  }
  return {
    source: dir,
    tokenizer,
    config,
    count: (text) => tokenizer.encode(text, { add_special_tokens: false }).ids.length,
  };
}
