import { checkGgufFile } from "./ggufHeader";
import { ModelTokenizer, singleTokenId } from "./modelTokenizer";

export interface GgufTokenizer extends ModelTokenizer {
  /** The GGUF's `tokenizer.chat_template`, when it has one. */
  chatTemplate?: string;
  dispose(): Promise<void>;
}

/**
 * A GGUF model's own vocabulary through llama.cpp, loaded with `vocabOnly` (no weights). Callers
 * in the editor run this in the worker process, never in the extension host.
 */
export async function loadGgufTokenizer(path: string): Promise<GgufTokenizer> {
  checkGgufFile(path);
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", progressLogs: false, logLevel: LlamaLogLevel.error });
  try {
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true });
    type Token = Parameters<typeof model.detokenize>[0][number];
    const encode = (text: string) => model.tokenize(text, true) as unknown as number[];
    const metadata = model.fileInfo.metadata as { tokenizer?: { chat_template?: unknown } };
    const chatTemplate = metadata.tokenizer?.chat_template;
    return {
      source: path,
      exact: true,
      chatTemplate: typeof chatTemplate === "string" ? chatTemplate : undefined,
      count: (text) => encode(text).length,
      encode,
      decode: (ids) => model.detokenize(ids as unknown as Token[], true),
      tokenId: (text) => singleTokenId(encode(text)),
      isSpecial: (id) => model.isSpecialToken(id as unknown as Token),
      addsBos: model.tokens.shouldPrependBosToken && model.tokens.bos !== null,
      bosToken: model.tokens.bosString ?? undefined,
      eosToken: model.tokens.eosString ?? undefined,
      dispose: async () => {
        await model.dispose();
        await llama.dispose();
      },
    };
  } catch (error) {
    await llama.dispose();
    throw new Error(`${path} is not a GGUF model llama.cpp can read: ${(error as Error).message}`, { cause: error });
  }
}
