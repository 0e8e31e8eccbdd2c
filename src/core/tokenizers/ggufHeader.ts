import { closeSync, fstatSync, openSync, readSync } from "node:fs";

/**
 * Checks that a file is a well-formed GGUF up to the end of its metadata before llama.cpp reads
 * it: llama.cpp trusts the counts and lengths it finds, and a corrupt or fake file made it
 * allocate gigabytes. Every count and length is checked against the bytes that remain.
 */
export class GgufFormatError extends Error {}

const valueSizes: Record<number, number> = { 0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8 };
const STRING = 8;
const ARRAY = 9;
/** Metadata larger than this is not read (a full 256K-token vocabulary with merges is about 30 MB). */
const maxMetadataBytes = 512 * 1024 * 1024;
/**
 * Elements in one metadata array: the largest vocabularies have about 260,000 tokens and under a
 * million merges. Millions of empty strings fit in a small file, and llama.cpp then builds an
 * object per element until it runs out of memory.
 */
export const maxArrayElements = 4_000_000;

class Reader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  offset = 0;

  constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  private ensure(length: number): void {
    if (this.offset + length > this.size) throw new GgufFormatError(`truncated at byte ${this.offset} (needs ${length} more)`);
    if (this.offset >= this.bufferStart && this.offset + length <= this.bufferStart + this.buffer.length) return;
    const chunk = Math.max(length, 1 << 20);
    this.buffer = Buffer.alloc(Math.min(chunk, this.size - this.offset));
    readSync(this.fd, this.buffer, 0, this.buffer.length, this.offset);
    this.bufferStart = this.offset;
  }

  bytes(length: number): Buffer {
    this.ensure(length);
    const at = this.offset - this.bufferStart;
    this.offset += length;
    return this.buffer.subarray(at, at + length);
  }

  u32(): number {
    return this.bytes(4).readUInt32LE(0);
  }

  u64(): number {
    const value = this.bytes(8).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError(`implausible count ${value} at byte ${this.offset - 8}`);
    return Number(value);
  }

  string(): string {
    const length = this.u64();
    if (length > this.size - this.offset) throw new GgufFormatError(`string of ${length} bytes at byte ${this.offset} runs past the end`);
    if (length > 1 << 20) throw new GgufFormatError(`a key or name of ${length} bytes at byte ${this.offset}`);
    return this.bytes(length).toString("utf8");
  }

  skipString(): void {
    const length = this.u64();
    if (length > this.size - this.offset) throw new GgufFormatError(`string of ${length} bytes at byte ${this.offset} runs past the end`);
    this.skip(length);
  }

  skip(length: number): void {
    if (length > this.size - this.offset) throw new GgufFormatError(`truncated at byte ${this.offset}`);
    this.offset += length;
  }
}

function skipValue(reader: Reader, type: number): void {
  if (type === STRING) return reader.skipString();
  if (type === ARRAY) {
    const elementType = reader.u32();
    const count = reader.u64();
    if (elementType === ARRAY) throw new GgufFormatError("nested arrays are not valid GGUF metadata");
    if (count > maxArrayElements)
      throw new GgufFormatError(
        `an array of ${count.toLocaleString("en-US")} elements is more than any model's vocabulary (at most ${maxArrayElements.toLocaleString("en-US")} are read)`,
      );
    if (elementType === STRING) {
      if (count > (reader.size - reader.offset) / 8) throw new GgufFormatError(`array of ${count} strings cannot fit in the file`);
      for (let i = 0; i < count; i++) reader.skipString();
      return;
    }
    const size = valueSizes[elementType];
    if (size === undefined) throw new GgufFormatError(`unknown array element type ${elementType}`);
    return reader.skip(count * size);
  }
  const size = valueSizes[type];
  if (size === undefined) throw new GgufFormatError(`unknown metadata value type ${type}`);
  reader.skip(size);
}

const integerTypes = new Set([0, 1, 2, 3, 4, 5, 10, 11]);

/** A metadata entry's type, and the value of the few string entries the checks read. */
interface Entry {
  type: number;
  elementType?: number;
  text?: string;
}

/** Entries whose string value the checks need. */
const readValues = new Set(["general.architecture", "tokenizer.ggml.model"]);

function readEntry(reader: Reader, key: string): Entry {
  const type = reader.u32();
  if (type === STRING && readValues.has(key)) return { type, text: reader.string() };
  if (type === ARRAY) {
    const at = reader.offset;
    const elementType = reader.u32();
    reader.offset = at;
    skipValue(reader, type);
    return { type, elementType };
  }
  skipValue(reader, type);
  return { type };
}

/**
 * What llama.cpp requires of every model it loads, even for its vocabulary alone: it throws (and
 * the process aborts) when one is missing or of the wrong type, so each is checked here first.
 */
function checkRequired(entries: Map<string, Entry>): void {
  const arch = entries.get("general.architecture");
  if (!arch || arch.type !== STRING || !arch.text) throw new GgufFormatError("it has no general.architecture (a model file names its architecture)");
  for (const name of ["context_length", "embedding_length", "block_count"]) {
    const key = `${arch.text}.${name}`;
    const entry = entries.get(key);
    if (!entry) throw new GgufFormatError(`it has no ${key}, which llama.cpp requires of a ${arch.text} model`);
    if (!integerTypes.has(entry.type)) throw new GgufFormatError(`its ${key} is not a whole number`);
  }
  const model = entries.get("tokenizer.ggml.model");
  if (!model || model.type !== STRING || !model.text) throw new GgufFormatError("it has no tokenizer.ggml.model (the vocabulary's kind)");
  if (model.text === "none") return;
  const tokens = entries.get("tokenizer.ggml.tokens");
  if (!tokens || tokens.type !== ARRAY || tokens.elementType !== STRING) throw new GgufFormatError("it has no tokenizer.ggml.tokens (its vocabulary)");
  const merges = entries.get("tokenizer.ggml.merges");
  if (model.text === "gpt2" && (!merges || merges.type !== ARRAY || merges.elementType !== STRING))
    throw new GgufFormatError("its gpt2 vocabulary has no tokenizer.ggml.merges");
}

export function checkGgufFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    const reader = new Reader(fd, fstatSync(fd).size);
    if (reader.size < 24 || reader.bytes(4).toString("latin1") !== "GGUF") throw new GgufFormatError("not a GGUF file (no GGUF magic)");
    const version = reader.u32();
    if (version < 2 || version > 3) throw new GgufFormatError(`unsupported GGUF version ${version}`);
    const tensors = reader.u64();
    const count = reader.u64();
    if (tensors > reader.size / 24) throw new GgufFormatError(`${tensors} tensors cannot fit in a ${reader.size}-byte file`);
    if (count > reader.size / 12) throw new GgufFormatError(`${count} metadata entries cannot fit in a ${reader.size}-byte file`);
    const entries = new Map<string, Entry>();
    for (let i = 0; i < count; i++) {
      const key = reader.string();
      entries.set(key, readEntry(reader, key));
      if (reader.offset > maxMetadataBytes) throw new GgufFormatError("metadata larger than 512 MB");
    }
    checkRequired(entries);
  } catch (error) {
    if (error instanceof GgufFormatError) throw new GgufFormatError(`${path} is not a valid GGUF file: ${error.message}`);
    throw error;
  } finally {
    closeSync(fd);
  }
}
