import { statSync } from "node:fs";
import { checkGgufFile } from "../core/tokenizers/ggufHeader";
import { loadTokenizerFolder } from "../core/tokenizers/huggingFaceTokenizer";
import type { TokenCounter } from "../core/tokenizers/tokenCounter";

/**
 * The model's own tokenizer: a Hugging Face folder (tokenizer.json) through
 * @huggingface/tokenizers, or a GGUF file's vocabulary through llama.cpp (vocabulary only).
 */
export async function loadTokenCounter(path: string): Promise<TokenCounter & { dispose?: () => Promise<void> }> {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new Error(`No tokenizer at ${path}`);
  if (stat.isDirectory()) return loadTokenizerFolder(path);
  checkGgufFile(path);
  const { getLlama } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", progressLogs: false });
  try {
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true });
    return {
      source: path,
      count: (text) => model.tokenize(text, true).length,
      dispose: async () => {
        await model.dispose();
        await llama.dispose();
      },
    };
  } catch (error) {
    await llama.dispose();
    throw new Error(`${path} is not a GGUF model llama.cpp can read: ${(error as Error).message}`);
  }
}
