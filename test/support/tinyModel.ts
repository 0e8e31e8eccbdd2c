// A generation test model written here, no hub: a byte-level vocabulary plus twenty word tokens
// and ChatML's control tokens, with weights chosen so the next-token distribution is one fixed
// vector. All token embeddings are equal and every attention and feed-forward weight is zero, so
// the hidden state is the same at every position; row i of output.weight is c_i * h / |h|^2, which
// gives token i the logit c_i. Sampling then writes random sentences of the twenty words, ends a
// JSON string with '"' and a free-text reply with <|im_end|> (both also in the top-p 0.5 nucleus);
// a JSON-schema grammar shapes the rest. Generation quality cannot be tested with no real weights;
// the pipeline, grammar, streaming, cancellation and file safety can.
import { GgufValue, llamaMetadata, Tensor, writeGguf } from "../../src/core/tokenizers/ggufWriter";

export const testWords = [
  "alpha",
  "bravo",
  "charlie",
  "delta",
  "echo",
  "foxtrot",
  "golf",
  "hotel",
  "india",
  "juliet",
  "kilo",
  "lima",
  "mike",
  "november",
  "oscar",
  "papa",
  "quebec",
  "romeo",
  "sierra",
  "tango",
];

const chatmlTemplate =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** GPT-2's byte-to-symbol table: printable bytes stand for themselves, the rest from U+0100 on. */
function byteSymbols(): string[] {
  const printable = (b: number) => (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCodePoint(printable(b) ? b : next++));
}

export interface TinyModelOptions {
  /** Logit of '"' and of <|im_end|>: higher ends strings and replies sooner. */
  endLogit?: number;
  name?: string;
  /** A wider, deeper body costs real compute per token (the benchmark's model); the logits stay the same. */
  embd?: number;
  blocks?: number;
}

export function writeTinyModel(path: string, options: TinyModelOptions = {}): void {
  const bytes = byteSymbols();
  const space = bytes[32];
  const tokens = [...bytes, ...testWords.map((w) => space + w), "<|endoftext|>", "<|im_start|>", "<|im_end|>"];
  const types = tokens.map((_, i) => (i >= tokens.length - 3 ? 3 : 1));
  const imEnd = tokens.length - 1;
  const logits = new Float32Array(tokens.length).fill(-20);
  for (let i = 256; i < 256 + testWords.length; i++) logits[i] = 0;
  const endLogit = options.endLogit ?? 0.4;
  logits['"'.charCodeAt(0)] = endLogit;
  logits[imEnd] = endLogit;

  const embd = options.embd ?? 64;
  const ff = embd * 2;
  const blocks = options.blocks ?? 1;
  const vocab = tokens.length;
  const ones = (n: number) => new Float32Array(n).fill(1);
  const zeros = (n: number) => new Float32Array(n);
  const output = new Float32Array(embd * vocab);
  // RMS-normalised all-ones embedding times an all-ones norm weight is all ones: |h|^2 = embd.
  for (let t = 0; t < vocab; t++) for (let j = 0; j < embd; j++) output[t * embd + j] = logits[t] / embd;
  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [embd, vocab], data: ones(embd * vocab) },
    { name: "output_norm.weight", dims: [embd], data: ones(embd) },
    { name: "output.weight", dims: [embd, vocab], data: output },
  ];
  for (let b = 0; b < blocks; b++) {
    tensors.push(
      { name: `blk.${b}.attn_norm.weight`, dims: [embd], data: ones(embd) },
      ...["attn_q", "attn_k", "attn_v", "attn_output"].map((n) => ({ name: `blk.${b}.${n}.weight`, dims: [embd, embd], data: zeros(embd * embd) })),
      { name: `blk.${b}.ffn_norm.weight`, dims: [embd], data: ones(embd) },
      { name: `blk.${b}.ffn_gate.weight`, dims: [embd, ff], data: zeros(embd * ff) },
      { name: `blk.${b}.ffn_up.weight`, dims: [embd, ff], data: zeros(embd * ff) },
      { name: `blk.${b}.ffn_down.weight`, dims: [ff, embd], data: zeros(embd * ff) },
    );
  }
  const metadata: Record<string, GgufValue> = {
    ...llamaMetadata(options.name ?? "instruct-studio-test", { embd, ff, blocks }, "default"),
    "tokenizer.ggml.tokens": { type: "strings", value: tokens },
    "tokenizer.ggml.token_type": { type: "i32s", value: types },
    "tokenizer.ggml.merges": { type: "strings", value: [] },
    "tokenizer.ggml.eos_token_id": { type: "u32", value: imEnd },
    "tokenizer.ggml.add_bos_token": { type: "bool", value: false },
    "tokenizer.chat_template": { type: "string", value: chatmlTemplate },
  };
  writeGguf(path, metadata, tensors);
}
