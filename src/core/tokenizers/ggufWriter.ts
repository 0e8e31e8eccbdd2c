// Writes GGUF files: a model's real vocabulary (from a tokenizer.json), without weights for the
// training budget's bulk tokenization through llama.cpp, or with a tiny body for tests that load
// a model. No library writes GGUF from Node (node-llama-cpp and @huggingface/gguf only read it).
// Layout per the GGUF v3 spec (shared/notes explain it).
import { readFileSync, writeFileSync } from "node:fs";

type Value =
  | { type: "u32" | "i32" | "f32" | "bool" | "string"; value: number | boolean | string }
  | { type: "strings"; value: string[] }
  | { type: "i32s"; value: number[] };

class Bytes {
  private chunks: Buffer[] = [];
  length = 0;
  push(buffer: Buffer): void {
    this.chunks.push(buffer);
    this.length += buffer.length;
  }
  u32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n);
    this.push(b);
  }
  i32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(n);
    this.push(b);
  }
  u64(n: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(n));
    this.push(b);
  }
  f32(n: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(n);
    this.push(b);
  }
  string(s: string): void {
    const b = Buffer.from(s, "utf8");
    this.u64(b.length);
    this.push(b);
  }
  pad(alignment = 32): void {
    const rest = this.length % alignment;
    if (rest) this.push(Buffer.alloc(alignment - rest));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

const typeIds = { u32: 4, i32: 5, f32: 6, bool: 7, string: 8, array: 9 };

function writeValue(out: Bytes, v: Value): void {
  switch (v.type) {
    case "u32":
      return out.u32(v.value as number);
    case "i32":
      return out.i32(v.value as number);
    case "f32":
      return out.f32(v.value as number);
    case "bool":
      return out.push(Buffer.from([v.value ? 1 : 0]));
    case "string":
      return out.string(v.value as string);
    case "strings":
      out.u32(typeIds.string);
      out.u64(v.value.length);
      for (const s of v.value) out.string(s);
      return;
    case "i32s":
      out.u32(typeIds.i32);
      out.u64(v.value.length);
      for (const n of v.value) out.i32(n);
  }
}

const valueType = (v: Value) => (v.type === "strings" || v.type === "i32s" ? typeIds.array : typeIds[v.type]);

export interface Tensor {
  name: string;
  dims: number[];
  /** The values; small deterministic ones when left out (the body only has to load). */
  data?: Float32Array;
}

export type { Value as GgufValue };

export function writeGguf(path: string, metadata: Record<string, Value>, tensors: Tensor[]): void {
  const out = new Bytes();
  out.push(Buffer.from("GGUF"));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) {
    out.string(key);
    out.u32(valueType(value));
    writeValue(out, value);
  }
  let offset = 0;
  const sizes = tensors.map((t) => t.dims.reduce((a, b) => a * b, 1) * 4);
  tensors.forEach((t, i) => {
    out.string(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(0);
    out.u64(offset);
    offset += Math.ceil(sizes[i] / 32) * 32;
  });
  out.pad();
  sizes.forEach((size, t) => {
    const data = Buffer.alloc(Math.ceil(size / 32) * 32);
    const given = tensors[t].data;
    // Small deterministic values unless given: the body only has to load, not to be a good model.
    for (let i = 0; i < size / 4; i++) data.writeFloatLE(given ? given[i] : ((i % 7) - 3) * 0.01, i * 4);
    out.push(data);
  });
  writeFileSync(path, out.toBuffer());
}

/** Architecture keys of a small llama-architecture body with a byte-level BPE tokenizer (`pre` names its pre-tokenizer). */
export function llamaMetadata(name: string, body: { embd: number; ff: number; blocks: number }, pre: string): Record<string, Value> {
  return {
    "general.architecture": { type: "string", value: "llama" },
    "general.name": { type: "string", value: name },
    "llama.context_length": { type: "u32", value: 4096 },
    "llama.embedding_length": { type: "u32", value: body.embd },
    "llama.block_count": { type: "u32", value: body.blocks },
    "llama.feed_forward_length": { type: "u32", value: body.ff },
    "llama.attention.head_count": { type: "u32", value: 4 },
    "llama.attention.head_count_kv": { type: "u32", value: 4 },
    "llama.attention.layer_norm_rms_epsilon": { type: "f32", value: 1e-5 },
    "llama.rope.dimension_count": { type: "u32", value: body.embd / 4 },
    "tokenizer.ggml.model": { type: "string", value: "gpt2" },
    "tokenizer.ggml.pre": { type: "string", value: pre },
  };
}

interface TokenizerJson {
  model: { vocab: Record<string, number>; merges: Array<string | [string, string]> };
  added_tokens: Array<{ id: number; content: string; special: boolean }>;
  post_processor?: unknown;
}

/**
 * A llama-architecture GGUF with the full vocabulary and merges of a byte-level BPE
 * tokenizer.json and a 2-block body of width 16 (the preview loads vocabularies only). `pre` is llama.cpp's pre-tokenizer name
 * (qwen2, llama-bpe). The chat template and BOS/EOS come from tokenizer_config.json.
 */
export function ggufFromTokenizerJson(path: string, tokenizerDir: string, pre: string, options: { body?: boolean } = {}): void {
  const json = JSON.parse(readFileSync(`${tokenizerDir}/tokenizer.json`, "utf8")) as TokenizerJson;
  const config = JSON.parse(readFileSync(`${tokenizerDir}/tokenizer_config.json`, "utf8")) as Record<string, unknown>;
  const size = [...Object.values(json.model.vocab), ...json.added_tokens.map((t) => t.id)].reduce((a, b) => Math.max(a, b), 0) + 1;
  const tokens = new Array<string>(size).fill("");
  const types = new Array<number>(size).fill(1);
  for (const [piece, id] of Object.entries(json.model.vocab)) tokens[id] = piece;
  for (const added of json.added_tokens) {
    tokens[added.id] = added.content;
    types[added.id] = added.special ? 3 : 4;
  }
  tokens.forEach((t, i) => {
    if (t === "") {
      tokens[i] = `[PAD${i}]`;
      types[i] = 5;
    }
  });
  const idOf = (key: string) => {
    const value = config[key];
    const text = typeof value === "string" ? value : (value as { content?: string } | null)?.content;
    return text === undefined ? undefined : tokens.indexOf(text);
  };
  const merges = json.model.merges.map((m) => (Array.isArray(m) ? m.join(" ") : m));
  const embd = 16;
  const ff = 32;
  const metadata: Record<string, Value> = {
    ...llamaMetadata(`test-${pre}`, { embd, ff, blocks: 2 }, pre),
    "tokenizer.ggml.tokens": { type: "strings", value: tokens },
    "tokenizer.ggml.token_type": { type: "i32s", value: types },
    "tokenizer.ggml.merges": { type: "strings", value: merges },
  };
  const eos = idOf("eos_token");
  const bos = idOf("bos_token");
  if (eos !== undefined && eos >= 0) metadata["tokenizer.ggml.eos_token_id"] = { type: "u32", value: eos };
  if (bos !== undefined && bos >= 0) metadata["tokenizer.ggml.bos_token_id"] = { type: "u32", value: bos };
  // As llama.cpp's converter decides: the config's add_bos_token, else whether the
  // post-processor puts the BOS token in front (Llama 3's TemplateProcessing does).
  const bosText = bos !== undefined && bos >= 0 ? tokens[bos] : undefined;
  const addBos =
    typeof config.add_bos_token === "boolean"
      ? config.add_bos_token
      : bosText !== undefined && JSON.stringify(json.post_processor ?? null).includes(JSON.stringify(bosText));
  metadata["tokenizer.ggml.add_bos_token"] = { type: "bool", value: addBos };
  if (typeof config.chat_template === "string") metadata["tokenizer.chat_template"] = { type: "string", value: config.chat_template };
  const tensors: Tensor[] =
    options.body === false
      ? []
      : [
          { name: "token_embd.weight", dims: [embd, size] },
          { name: "output_norm.weight", dims: [embd] },
        ];
  for (let i = 0; i < (options.body === false ? 0 : 2); i++) {
    tensors.push(
      { name: `blk.${i}.attn_norm.weight`, dims: [embd] },
      ...["attn_q", "attn_k", "attn_v", "attn_output"].map((n) => ({ name: `blk.${i}.${n}.weight`, dims: [embd, embd] })),
      { name: `blk.${i}.ffn_norm.weight`, dims: [embd] },
      { name: `blk.${i}.ffn_gate.weight`, dims: [embd, ff] },
      { name: `blk.${i}.ffn_up.weight`, dims: [embd, ff] },
      { name: `blk.${i}.ffn_down.weight`, dims: [ff, embd] },
    );
  }
  writeGguf(path, metadata, tensors);
}
