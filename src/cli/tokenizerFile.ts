import { LoadedTokenizer, loadModelTokenizer } from "../core/tokenizers/loadTokenizer";
import { UsageError } from "./usageError";

/** Loads --tokenizer; a file that cannot serve as one is a usage error naming it, not an internal one. */
export async function loadTokenizerForCli(path: string): Promise<LoadedTokenizer> {
  try {
    return await loadModelTokenizer(path);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UsageError(`cannot use ${path} as a tokenizer (a folder with tokenizer.json, or a .gguf file): ${reason}`);
  }
}
