import type { FormatId } from "../formats/formatLabels";
import { dominantFormat } from "../formats/detect";
import type { ReadLine } from "../jsonl/lineReader";
import type { Diagnostic, Span } from "../lint/diagnostic";
import { effectiveSeverity } from "../rules/catalog";
import { NoFormatSample } from "./noFormat";
import type { TokenCounter } from "../tokenizers/tokenCounter";
import { analyzeRow, applyRuleSettings, RowAnalysis, ValidationOptions } from "./analyzeRow";
import { formatSampleRows } from "./documentValidator";
import { maxBucketRows, maxNearDuplicateCandidates, nearDuplicateThreshold } from "./documentDuplicates";
import { HashIndex } from "./hashIndex";
import { encodingFinding, loneCrFinding, tooLongFinding, utf16Finding } from "./lineChecks";
import { bandMaps, permutations, searchKeys } from "./minhash";
import { duplicateRowFinding, mixedFormatFinding, nearDuplicateFinding } from "./crossRowFindings";
import { findNearDuplicate, RowSketch } from "./nearDuplicates";

export interface StreamOptions extends ValidationOptions {
  tokens?: { counter: TokenCounter; max: number };
  /** Rows indexed for near duplicates; later rows are still compared with them. Bounds memory. */
  nearDuplicateIndexRows?: number;
}

/**
 * Rows indexed for near duplicates: 100,000 cover any file VS Code opens (50 MB); beyond, later
 * rows are compared with these, and the index stays about 80 MB.
 */
export const defaultNearDuplicateIndexRows = 100_000;

export interface FormatSample {
  format?: FormatId;
  firstLine?: number;
  /** Said once before the rows: none of the sampled rows matches a format. */
  noFormat?: Diagnostic;
}

/** Bytes of rows held to find the file's format before validating them: bounds memory on huge rows. */
export const maxSampleBytes = 64 * 1024 * 1024;

/**
 * Validates lines read once (standard input, a FIFO): the first rows are held while they decide
 * the file's format, then validated with the rest. `onSample` hears the format first.
 */
export async function* validateLines(
  lines: AsyncIterable<ReadLine>,
  options: StreamOptions = {},
  onSample?: (sample: FormatSample) => void,
): AsyncGenerator<Diagnostic> {
  const iterator = lines[Symbol.asyncIterator]();
  const held: ReadLine[] = [];
  let rows = 0;
  let bytes = 0;
  let ended = false;
  while (rows < formatSampleRows && bytes < maxSampleBytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    held.push(next.value);
    bytes += next.value.byteLength;
    if (next.value.text.trim() !== "" || next.value.tooLong) rows++;
  }
  const sample = await sampleFileFormat(fromArray(held), options);
  onSample?.(sample);
  async function* all(): AsyncGenerator<ReadLine> {
    yield* held.splice(0);
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  yield* validateStream(all(), sample, options);
}

async function* fromArray<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

/** The file's format: the majority format of its first rows (the editor uses the same rule). */
export async function sampleFileFormat(lines: AsyncIterable<ReadLine>, options: ValidationOptions): Promise<FormatSample> {
  if (options.format) return { format: options.format, noFormat: new NoFormatSample().fileFinding(options.target, options.format) };
  const counts = new Map<FormatId, { count: number; firstLine: number }>();
  const noFormat = new NoFormatSample();
  let seen = 0;
  for await (const line of lines) {
    if (line.tooLong || line.utf16) continue;
    const analysis = analyzeRow(line.text, line.lineNumber - 1, undefined, options);
    if (analysis.kind === "blank") continue;
    noFormat.add(line.lineNumber - 1, line.text.length, analysis);
    if (analysis.format) {
      const entry = counts.get(analysis.format) ?? { count: 0, firstLine: line.lineNumber - 1 };
      entry.count++;
      counts.set(analysis.format, entry);
    }
    if (++seen >= formatSampleRows) break;
  }
  const best = dominantFormat(new Map([...counts].map(([format, { count }]) => [format, count])));
  return { format: best, firstLine: best ? counts.get(best)!.firstLine : undefined, noFormat: noFormat.fileFinding(options.target) };
}

/** One line analysed on its own: what the rows after it are compared with. */
export interface AnalyzedLine {
  /** 0-based line. */
  line: number;
  byteLength: number;
  tooLong: boolean;
  eol: ReadLine["eol"];
  utf16?: ReadLine["utf16"];
  textLength: number;
  /** The row's own findings: its encoding, then the rules of one row. */
  diagnostics: Diagnostic[];
  kind: RowAnalysis["kind"];
  format?: FormatId;
  contentKey?: number;
  signature?: Uint32Array;
  sketch?: RowSketch;
  shortPrompt?: Uint32Array;
  answerKey?: number;
  /** The text a trainer reads, for token counts (not carried between threads). */
  text?: string;
}

/** The analysis of one line that needs no other line (the part lint spreads over threads). */
export function analyzeLine(read: ReadLine, line: number, fileFormat: FormatId | undefined, options: ValidationOptions, withText = false): AnalyzedLine {
  const base = { line, byteLength: read.byteLength, tooLong: read.tooLong, eol: read.eol, utf16: read.utf16, textLength: read.text.length };
  if (read.utf16 || read.tooLong) return { ...base, diagnostics: [], kind: "invalid" };
  const encoding = encodingFinding(line, read.text, read.invalidUtf8);
  const analysis = analyzeRow(read.text, line, fileFormat, options);
  const diagnostics = encoding ? [...applyRuleSettings([encoding], options.rules), ...analysis.diagnostics] : analysis.diagnostics;
  return {
    ...base,
    diagnostics,
    kind: analysis.kind,
    format: analysis.format,
    contentKey: analysis.contentKey,
    signature: analysis.signature,
    sketch: analysis.sketch,
    shortPrompt: analysis.shortPrompt,
    answerKey: analysis.answerKey,
    text: withText && analysis.kind === "row" ? analysis.text : undefined,
  };
}

/**
 * Validates a dataset read line by line with the same rules as the editor, yielding diagnostics
 * in line order. Memory: one line at a time, a 53-bit hash per row for exact duplicates, and
 * the near-duplicate index of the first `nearDuplicateIndexRows` rows.
 */
export async function* validateStream(lines: AsyncIterable<ReadLine>, sample: FormatSample, options: StreamOptions = {}): AsyncGenerator<Diagnostic> {
  const comparer = new RowComparer(sample, options);
  for await (const read of lines) {
    yield* comparer.add(analyzeLine(read, read.lineNumber - 1, sample.format, options, options.tokens !== undefined));
    if (comparer.finished) return;
  }
}

/**
 * The rules that compare a row with the file and the rows before it (duplicates, near
 * duplicates, mixed formats, file-wide findings) and the token limit, fed analysed lines in
 * order. One implementation for the sequential and the multi-threaded lint.
 */
export class RowComparer {
  private readonly exact = new HashIndex();
  // Compact near-duplicate index: signatures in one pooled buffer; a bucket is a bare slot
  // number until a second row joins it. Slots are in line order, like the editor's lists.
  private readonly indexLimit: number;
  private signatures: Uint32Array;
  private readonly slotLines: number[] = [];
  private readonly slotHashes: number[] = [];
  private readonly slotSketches: RowSketch[] = [];
  /** Short prompts and their answers' keys, by slot (undefined for the others). */
  private readonly slotHasSignature: boolean[] = [];
  private readonly slotShortPrompts: Array<Uint32Array | undefined> = [];
  private readonly slotAnswerKeys: Array<number | undefined> = [];
  private readonly bands = bandMaps<number | number[]>();
  private loneCrSeen = false;
  private noFormat: Diagnostic | undefined;
  /** A UTF-16 file: nothing after its one finding. */
  finished = false;

  constructor(
    private readonly sample: FormatSample,
    private readonly options: StreamOptions,
  ) {
    // With the rule turned off, no row is indexed: neither its time nor its memory is spent.
    const off = options.rules?.["near-duplicate"] !== undefined && !effectiveSeverity("near-duplicate", options.rules);
    this.indexLimit = off ? 0 : (options.nearDuplicateIndexRows ?? defaultNearDuplicateIndexRows);
    this.signatures = new Uint32Array(Math.min(this.indexLimit, 1 << 16) * permutations);
    this.noFormat = sample.noFormat;
  }

  *add(analyzed: AnalyzedLine): Generator<Diagnostic> {
    const { line } = analyzed;
    const rules = this.options.rules;
    if (analyzed.utf16) {
      this.finished = true;
      yield* applyRuleSettings([utf16Finding(analyzed.utf16)], rules);
      return;
    }
    if (analyzed.eol === "\r" && !this.loneCrSeen) {
      this.loneCrSeen = true;
      yield* applyRuleSettings([loneCrFinding(line)], rules);
    }
    if (analyzed.tooLong) {
      yield* applyRuleSettings([tooLongFinding(line, analyzed.byteLength)], rules);
      return;
    }
    // In line order: said with the first row it names.
    if (this.noFormat && line >= this.noFormat.line) {
      yield* applyRuleSettings([this.noFormat], rules);
      this.noFormat = undefined;
    }
    yield* analyzed.diagnostics;
    if (analyzed.kind !== "row") return;
    const row = { line, column: 0, endLine: line, endColumn: analyzed.textLength };
    const sample = this.sample;
    const found: Array<Diagnostic | undefined> = [];
    if (analyzed.format && sample.format && analyzed.format !== sample.format && !this.options.format && sample.firstLine !== undefined) {
      found.push(mixedFormatFinding(row, analyzed.format, sample.format, { line: sample.firstLine }, rules));
    }
    let isDuplicate = false;
    if (analyzed.contentKey !== undefined) {
      const first = this.exact.getOrSet(analyzed.contentKey, line);
      if (first !== undefined) {
        isDuplicate = true;
        found.push(duplicateRowFinding(row, { line: first }, rules));
      }
    }
    yield* found.filter((d): d is Diagnostic => d !== undefined);
    if (this.indexLimit > 0 && (analyzed.signature || analyzed.answerKey !== undefined)) yield* this.nearDuplicates(analyzed, isDuplicate, row);
    const tokens = this.options.tokens;
    if (tokens && analyzed.text !== undefined) {
      const count = tokens.counter.count(analyzed.text);
      const severity = effectiveSeverity("too-many-tokens", rules);
      if (count > tokens.max && severity) {
        yield {
          ...row,
          severity,
          rule: "too-many-tokens",
          message: `${count.toLocaleString("en-US")} tokens of text (chat-template tokens not counted) exceed the limit of ${tokens.max.toLocaleString("en-US")}: the trainer drops or truncates this row.`,
        };
      }
    }
  }

  private *nearDuplicates(analyzed: AnalyzedLine, isDuplicate: boolean, row: Span): Generator<Diagnostic> {
    const { signature, answerKey } = analyzed;
    const keys = searchKeys(signature, answerKey);
    const { bands, slotLines, slotHashes, slotSketches } = this;
    if (!isDuplicate) {
      const found = findNearDuplicate(
        { signature, sketch: analyzed.sketch!, contentKey: analyzed.contentKey, shortPrompt: analyzed.shortPrompt, answerKey, bands: keys },
        (band, key) => {
          const bucket = bands[band].get(key);
          return typeof bucket === "number" ? [bucket] : bucket;
        },
        (slot) => ({
          signature: this.slotHasSignature[slot] ? this.signatures.subarray(slot * permutations, (slot + 1) * permutations) : undefined,
          sketch: slotSketches[slot],
          contentKey: slotHashes[slot],
          shortPrompt: this.slotShortPrompts[slot],
          answerKey: this.slotAnswerKeys[slot],
        }),
        nearDuplicateThreshold,
        maxNearDuplicateCandidates,
      );
      const finding = found && nearDuplicateFinding(row, { line: slotLines[found.match] }, found.verdict, this.options.rules);
      if (finding) yield finding;
    }
    if (slotLines.length >= this.indexLimit) return;
    const slot = slotLines.length;
    if ((slot + 1) * permutations > this.signatures.length) {
      const grown = new Uint32Array(Math.min(this.indexLimit * permutations, this.signatures.length * 2));
      grown.set(this.signatures);
      this.signatures = grown;
    }
    if (signature) this.signatures.set(signature, slot * permutations);
    this.slotHasSignature.push(signature !== undefined);
    slotLines.push(analyzed.line);
    slotHashes.push(analyzed.contentKey ?? -1);
    slotSketches.push(analyzed.sketch!);
    this.slotShortPrompts.push(analyzed.shortPrompt);
    this.slotAnswerKeys.push(answerKey);
    keys.forEach((key, band) => {
      if (key === -1) return;
      const bucket = bands[band].get(key);
      if (bucket === undefined) bands[band].set(key, slot);
      else if (typeof bucket === "number") bands[band].set(key, [bucket, slot]);
      else if (bucket.length < maxBucketRows) bucket.push(slot);
    });
  }
}
