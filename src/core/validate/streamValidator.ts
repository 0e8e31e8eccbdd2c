import type { FormatId } from "../formats/formatLabels";
import { dominantFormat } from "../formats/detect";
import type { ReadLine } from "../jsonl/lineReader";
import type { Diagnostic } from "../lint/diagnostic";
import { effectiveSeverity } from "../rules/catalog";
import { NoFormatSample } from "./noFormat";
import type { TokenCounter } from "../tokenizers/tokenCounter";
import { analyzeRow, applyRuleSettings, RowAnalysis, sampleRow, ValidationOptions } from "./analyzeRow";
import { formatSampleRows } from "./documentValidator";
import { maxBucketRows, maxNearDuplicateCandidates, nearDuplicateThreshold } from "./documentDuplicates";
import { HashIndex } from "./hashIndex";
import { encodingFinding, loneCrFinding, tooLongFinding, utf16Finding } from "./lineChecks";
import { BandIndex } from "./bandIndex";
import { bands, searchKeys } from "./minhash";
import { duplicateRowFinding, mixedFormatFinding } from "./crossRowFindings";
import { findNearDuplicate, nearDuplicateSeverity } from "./nearDuplicates";
import { NearDuplicatePairs } from "./nearDuplicatePairs";
import type { RowSketch } from "./rowSides";
import { releaseVectors, slabMark } from "./rowVectors";
import { VectorColumn } from "./vectorColumn";

export interface StreamOptions extends ValidationOptions {
  tokens?: { counter: TokenCounter; max: number };
  /** Rows indexed for near duplicates; later rows are still compared with them. Bounds memory. */
  nearDuplicateIndexRows?: number;
  /** The file's size when known: with the sample's mean row, it sizes the near-duplicate index once rather than growing it. */
  fileBytes?: number;
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
  /** The sampled rows' mean length in bytes. */
  meanRowBytes?: number;
}

/** Bytes of rows held to find the file's format before validating them: bounds memory on huge rows. */
export const maxSampleBytes = 64 * 1024 * 1024;

/**
 * Validates lines read once, one at a time: the first rows are held while they decide the file's
 * format, then validated with the rest. `onSample` hears the format first. The CLI and the
 * workers read batches (`validateLineBatches`); tests compare them with this line-at-a-time form.
 */
export function validateLines(
  lines: AsyncIterable<ReadLine>,
  options: StreamOptions = {},
  onSample?: (sample: FormatSample) => void,
): AsyncGenerator<Diagnostic> {
  return validateLineBatches(oneByOne(lines), options, onSample);
}

/**
 * `validateLines` for lines read a batch at a time (`readLineBatches`): the lint of a whole file
 * then awaits once a batch, not once a line through each stage (3.5% of a 50 MB lint).
 */
export async function* validateLineBatches(
  batches: AsyncIterable<readonly ReadLine[]>,
  options: StreamOptions = {},
  onSample?: (sample: FormatSample) => void,
): AsyncGenerator<Diagnostic> {
  const iterator = batches[Symbol.asyncIterator]();
  const { sample, held, rest, ended } = await takeFormatSample(iterator, options);
  onSample?.(sample);
  async function* all(): AsyncGenerator<readonly ReadLine[]> {
    yield held.splice(0);
    if (rest.length > 0) yield rest;
    if (ended) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  yield* validateBatches(all(), sample, options);
}

/** The file's format, and the lines read to find it: held (the sampled rows), then the rest of the batch that completed the sample. */
export interface TakenSample {
  sample: FormatSample;
  held: ReadLine[];
  rest: readonly ReadLine[];
  /** The lines ended within the sample. */
  ended: boolean;
}

/** Reads the first rows (at most `formatSampleRows`, or `maxSampleBytes`) and decides the file's format from them. */
export async function takeFormatSample(iterator: AsyncIterator<readonly ReadLine[]>, options: ValidationOptions): Promise<TakenSample> {
  const held: ReadLine[] = [];
  let rows = 0;
  let bytes = 0;
  let ended = false;
  let rest: readonly ReadLine[] = [];
  sampling: while (rows < formatSampleRows && bytes < maxSampleBytes) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    for (let i = 0; i < next.value.length; i++) {
      const line = next.value[i];
      held.push(line);
      bytes += line.byteLength;
      if (line.text.trim() !== "" || line.tooLong) rows++;
      if (rows >= formatSampleRows || bytes >= maxSampleBytes) {
        rest = next.value.slice(i + 1);
        break sampling;
      }
    }
  }
  return { sample: await sampleFileFormat(fromArray(held), options), held, rest, ended };
}

async function* oneByOne<T>(items: AsyncIterable<T>): AsyncGenerator<T[]> {
  for await (const item of items) yield [item];
}

/** Appends one by one: a spread of a row's findings (a row may have thousands) could overflow the stack. */
function pushAll<T>(into: T[], items: readonly T[]): void {
  for (let i = 0; i < items.length; i++) into.push(items[i]);
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
  let bytes = 0;
  for await (const line of lines) {
    if (line.tooLong || line.utf16) continue;
    const analysis = sampleRow(line.text, line.lineNumber - 1, options);
    if (analysis.kind === "blank") continue;
    noFormat.add(line.lineNumber - 1, line.text.length, analysis);
    bytes += line.byteLength + line.eol.length;
    if (analysis.format) {
      const entry = counts.get(analysis.format) ?? { count: 0, firstLine: line.lineNumber - 1 };
      entry.count++;
      counts.set(analysis.format, entry);
    }
    if (++seen >= formatSampleRows) break;
  }
  const best = dominantFormat(new Map([...counts].map(([format, { count }]) => [format, count])));
  return {
    format: best,
    firstLine: best ? counts.get(best)!.firstLine : undefined,
    noFormat: noFormat.fileFinding(options.target),
    meanRowBytes: seen > 0 ? bytes / seen : undefined,
  };
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
  const unread = read.utf16 !== undefined || read.tooLong;
  const encoding = unread ? undefined : encodingFinding(line, read.text, read.invalidUtf8);
  const analysis: RowAnalysis = unread ? { kind: "invalid", diagnostics: [] } : analyzeRow(read.text, line, fileFormat, options);
  // One literal with every field: properties added after a spread each cost a shape change.
  return {
    line,
    byteLength: read.byteLength,
    tooLong: read.tooLong,
    eol: read.eol,
    utf16: read.utf16,
    textLength: read.text.length,
    diagnostics: encoding ? [...applyRuleSettings([encoding], options.rules), ...analysis.diagnostics] : analysis.diagnostics,
    kind: analysis.kind,
    format: analysis.format,
    contentKey: analysis.contentKey,
    signature: analysis.signature,
    // The sketch judges a candidate the search found, and a row with neither is never searched for.
    sketch: analysis.signature || analysis.answerKey !== undefined ? analysis.sketch : undefined,
    shortPrompt: analysis.shortPrompt,
    answerKey: analysis.answerKey,
    text: withText && analysis.texts ? analysis.texts.join("\n") : undefined,
  };
}

/**
 * Validates a dataset read a batch of lines at a time with the same rules as the editor, yielding
 * diagnostics in line order. Memory: one batch at a time, a 53-bit hash per row for exact
 * duplicates, and the near-duplicate index of the first `nearDuplicateIndexRows` rows.
 */
export async function* validateBatches(
  batches: AsyncIterable<readonly ReadLine[]>,
  sample: FormatSample,
  options: StreamOptions = {},
): AsyncGenerator<Diagnostic> {
  const comparer = new RowComparer(sample, options);
  for await (const batch of batches) {
    for (let b = 0; b < batch.length; b++) {
      const read = batch[b];
      const keepsNone = comparer.keepsNoMoreRows;
      const from = slabMark();
      const analyzed = analyzeLine(read, read.lineNumber - 1, sample.format, options, options.tokens !== undefined);
      const to = slabMark();
      const found = comparer.add(analyzed);
      for (let i = 0; i < found.length; i++) yield found[i];
      if (comparer.finished) return;
      if (keepsNone) releaseVectors(from, to);
    }
  }
  yield* comparer.finish();
}

/**
 * The rules that compare a row with the file and the rows before it (duplicates, near
 * duplicates, mixed formats, file-wide findings) and the token limit, fed analysed lines in
 * order. One implementation for the sequential and the multi-threaded lint.
 */
export class RowComparer {
  private readonly exact = new HashIndex();
  // The near-duplicate index: what each indexed row (a slot, in line order) is compared by.
  private readonly indexLimit: number;
  private readonly slotLines: number[] = [];
  /** Each indexed row's length, for the span of a finding that names it. */
  private readonly slotLengths: number[] = [];
  private readonly slotHashes: number[] = [];
  private readonly slotSignatures = new VectorColumn();
  private readonly slotSketches = new VectorColumn();
  /** Short prompts and their answers' keys, by slot (undefined for the others). */
  private readonly slotShortPrompts = new VectorColumn();
  private readonly slotAnswerKeys: Array<number | undefined> = [];
  private readonly buckets: BandIndex;
  /** One bucket's slots at a time, reused (the search reads a bucket whole before the next). */
  private readonly bucketRows: number[] = [];
  /** The current row's bucket keys, reused. */
  private readonly rowKeys: number[] = [];
  // Rows the search may read from one bucket: those it already compared, then its limit.
  private readonly bucketOf = (band: number, key: number) => this.buckets.bucket(band, key, this.bucketRows, 2 * maxNearDuplicateCandidates);
  private readonly candidateAt = (slot: number) => ({
    signature: this.slotSignatures.at(slot),
    sketch: this.slotSketches.at(slot)!,
    contentKey: this.slotHashes[slot],
    shortPrompt: this.slotShortPrompts.at(slot),
    answerKey: this.slotAnswerKeys[slot],
  });
  private readonly found: Diagnostic[] = [];
  private readonly nearDuplicates = new NearDuplicatePairs();
  private loneCrSeen = false;
  private noFormat: Diagnostic | undefined;
  /** A UTF-16 file: nothing after its one finding. */
  finished = false;

  /** Whether the near-duplicate index takes no more rows: rows added from now on are compared, and no part of them is kept. */
  get keepsNoMoreRows(): boolean {
    return this.slotLines.length >= this.indexLimit;
  }

  constructor(
    private readonly sample: FormatSample,
    private readonly options: StreamOptions,
  ) {
    // With the rule turned off, no row is indexed: neither its time nor its memory is spent.
    const off = options.rules?.["near-duplicate"] !== undefined && !effectiveSeverity("near-duplicate", options.rules);
    this.indexLimit = off ? 0 : (options.nearDuplicateIndexRows ?? defaultNearDuplicateIndexRows);
    const expectedRows = options.fileBytes && sample.meanRowBytes ? Math.min(this.indexLimit, Math.ceil(options.fileBytes / sample.meanRowBytes)) : 0;
    this.buckets = new BandIndex(bands + 1, maxBucketRows, expectedRows);
    this.noFormat = sample.noFormat;
  }

  /**
   * The near-duplicate findings, one per group, in the order of the groups' first rows: a group
   * is known only once every row has been compared, so they come after the rows' other findings.
   */
  finish(): Iterable<Diagnostic> {
    return this.finished ? [] : this.nearDuplicates.findings();
  }

  /**
   * The findings of the next row in line order (valid until the next call: the list is reused,
   * as a generator a row was measured a tenth of lint's allocations).
   */
  add(analyzed: AnalyzedLine): readonly Diagnostic[] {
    const out = this.found;
    if (out.length !== 0) out.length = 0;
    this.collect(analyzed, out);
    return out;
  }

  private collect(analyzed: AnalyzedLine, out: Diagnostic[]): void {
    const { line } = analyzed;
    const rules = this.options.rules;
    if (analyzed.utf16) {
      this.finished = true;
      pushAll(out, applyRuleSettings([utf16Finding(analyzed.utf16)], rules));
      return;
    }
    if (analyzed.eol === "\r" && !this.loneCrSeen) {
      this.loneCrSeen = true;
      pushAll(out, applyRuleSettings([loneCrFinding(line)], rules));
    }
    if (analyzed.tooLong) {
      pushAll(out, applyRuleSettings([tooLongFinding(line, analyzed.byteLength)], rules));
      return;
    }
    // In line order: said with the first row it names.
    if (this.noFormat && line >= this.noFormat.line) {
      pushAll(out, applyRuleSettings([this.noFormat], rules));
      this.noFormat = undefined;
    }
    pushAll(out, analyzed.diagnostics);
    if (analyzed.kind !== "row") return;
    const row = { line, column: 0, endLine: line, endColumn: analyzed.textLength };
    const sample = this.sample;
    if (analyzed.format && sample.format && analyzed.format !== sample.format && !this.options.format && sample.firstLine !== undefined) {
      const mixed = mixedFormatFinding(row, analyzed.format, sample.format, { line: sample.firstLine }, rules);
      if (mixed) out.push(mixed);
    }
    let isDuplicate = false;
    if (analyzed.contentKey !== undefined) {
      const first = this.exact.getOrSet(analyzed.contentKey, line);
      if (first !== undefined) {
        isDuplicate = true;
        const duplicate = duplicateRowFinding(row, { line: first }, rules);
        if (duplicate) out.push(duplicate);
      }
    }
    if (this.indexLimit > 0 && (analyzed.signature || analyzed.answerKey !== undefined)) this.compareNear(analyzed, isDuplicate);
    const tokens = this.options.tokens;
    if (tokens && analyzed.text !== undefined) {
      const count = tokens.counter.count(analyzed.text);
      const severity = effectiveSeverity("too-many-tokens", rules);
      if (count > tokens.max && severity) {
        out.push({
          ...row,
          severity,
          rule: "too-many-tokens",
          message: `${count.toLocaleString("en-US")} tokens of text (chat-template tokens not counted) exceed the limit of ${tokens.max.toLocaleString("en-US")}: the trainer drops or truncates this row.`,
        });
      }
    }
  }

  /** Notes the earlier row this one nearly repeats, if any; indexes the row while the index has room. */
  private compareNear(analyzed: AnalyzedLine, isDuplicate: boolean): void {
    const { signature, answerKey } = analyzed;
    const keys = searchKeys(signature, answerKey, this.rowKeys);
    this.buckets.locate(keys);
    const slotLines = this.slotLines;
    // A row that shares no bucket with an earlier one has no candidate to compare.
    if (!isDuplicate && this.buckets.locatedRows) {
      const found = findNearDuplicate(
        { signature, sketch: analyzed.sketch!, contentKey: analyzed.contentKey, shortPrompt: analyzed.shortPrompt, answerKey, bands: keys },
        this.bucketOf,
        this.candidateAt,
        nearDuplicateThreshold,
        maxNearDuplicateCandidates,
      );
      const severity = found && nearDuplicateSeverity(found.verdict, this.options.rules);
      if (found && severity)
        this.nearDuplicates.add(analyzed.line, analyzed.textLength, slotLines[found.match], this.slotLengths[found.match], found.verdict, severity);
    }
    if (slotLines.length >= this.indexLimit) return;
    this.buckets.add(slotLines.length, keys);
    slotLines.push(analyzed.line);
    this.slotLengths.push(analyzed.textLength);
    this.slotHashes.push(analyzed.contentKey ?? -1);
    this.slotSignatures.push(signature);
    this.slotSketches.push(analyzed.sketch!);
    this.slotShortPrompts.push(analyzed.shortPrompt);
    this.slotAnswerKeys.push(answerKey);
  }
}
