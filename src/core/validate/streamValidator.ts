import type { FormatId } from "../formats/detect";
import { dominantFormat, formatLabels, withArticle } from "../formats/detect";
import type { ReadLine } from "../jsonl/lineReader";
import type { Diagnostic } from "../lint/diagnostic";
import { effectiveSeverity } from "../rules/catalog";
import { NoFormatSample } from "./noFormat";
import type { TokenCounter } from "../tokenizers/tokenCounter";
import { analyzeRow, applyRuleSettings, ValidationOptions } from "./analyzeRow";
import { formatSampleRows, maxBucketRows, maxNearDuplicateCandidates, nearDuplicateThreshold } from "./documentValidator";
import { HashIndex } from "./hashIndex";
import { encodingFinding, loneCrFinding, tooLongFinding, utf16Finding } from "./lineChecks";
import { bandKeys, bandMaps, permutations } from "./minhash";
import { findNearDuplicate, nearDuplicateMessage, nearDuplicateSeverity, RowSketch } from "./nearDuplicates";

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
export async function* validateLines(lines: AsyncIterable<ReadLine>, options: StreamOptions = {}, onSample?: (sample: FormatSample) => void): AsyncGenerator<Diagnostic> {
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

/**
 * Validates a dataset read line by line with the same rules as the editor, yielding diagnostics
 * in line order. Memory: one line at a time, a 53-bit hash per row for exact duplicates, and
 * the near-duplicate index of the first `nearDuplicateIndexRows` rows.
 */
export async function* validateStream(lines: AsyncIterable<ReadLine>, sample: FormatSample, options: StreamOptions = {}): AsyncGenerator<Diagnostic> {
  const exact = new HashIndex();
  // Compact near-duplicate index: signatures in one pooled buffer; a bucket is a bare slot
  // number until a second row joins it. Slots are in line order, like the editor's lists.
  const indexLimit = options.nearDuplicateIndexRows ?? defaultNearDuplicateIndexRows;
  const pool = new Uint32Array(Math.min(indexLimit, 1 << 16) * permutations);
  let signatures = pool;
  const slotLines: number[] = [];
  const slotHashes: number[] = [];
  const slotSketches: RowSketch[] = [];
  const bands = bandMaps<number | number[]>();
  const rules = options.rules;
  let loneCrSeen = false;
  let noFormat = sample.noFormat;
  for await (const read of lines) {
    const line = read.lineNumber - 1;
    if (read.utf16) {
      yield* applyRuleSettings([utf16Finding(read.utf16)], rules);
      return;
    }
    if (read.eol === "\r" && !loneCrSeen) {
      loneCrSeen = true;
      yield* applyRuleSettings([loneCrFinding(line)], rules);
    }
    if (read.tooLong) {
      yield* applyRuleSettings([tooLongFinding(line, read.byteLength)], rules);
      continue;
    }
    // In line order: said with the first row it names.
    if (noFormat && line >= noFormat.line) {
      yield* applyRuleSettings([noFormat], rules);
      noFormat = undefined;
    }
    const encoding = encodingFinding(line, read.text, read.invalidUtf8);
    if (encoding) yield* applyRuleSettings([encoding], rules);
    const analysis = analyzeRow(read.text, line, sample.format, options);
    for (const d of analysis.diagnostics) yield d;
    if (analysis.kind !== "row") continue;
    const row = { line, column: 0, endLine: line, endColumn: read.text.length };
    const related = (relatedLine: number, message: string) => [{ line: relatedLine, column: 0, endLine: relatedLine, endColumn: 1, message }];

    if (analysis.format && sample.format && analysis.format !== sample.format && !options.format && sample.firstLine !== undefined) {
      const severity = effectiveSeverity("mixed-formats", rules);
      if (severity) {
        yield { ...row, severity, rule: "mixed-formats", message: `${formatLabels[analysis.format]} row in ${withArticle(formatLabels[sample.format])} file: trainers read one format per dataset.`, related: related(sample.firstLine, `First ${formatLabels[sample.format]} row`) };
      }
    }
    let isDuplicate = false;
    const contentHash = analysis.contentKey;
    if (contentHash !== undefined) {
      const first = exact.getOrSet(contentHash, line);
      if (first !== undefined) {
        isDuplicate = true;
        const severity = effectiveSeverity("duplicate-row", rules);
        if (severity) {
          yield { ...row, severity, rule: "duplicate-row", message: `Duplicate of row ${first + 1}.`, related: related(first, "First occurrence"), fix: { title: "Delete this duplicate row", edits: [{ line, column: 0, endLine: line + 1, endColumn: 0, newText: "" }] } };
        }
      }
    }
    if (analysis.signature) {
      const keys = bandKeys(analysis.signature);
      if (!isDuplicate) {
        const found = findNearDuplicate(
          { signature: analysis.signature, sketch: analysis.sketch!, contentKey: contentHash, bands: keys },
          (band, key) => {
            const bucket = bands[band].get(key);
            return typeof bucket === "number" ? [bucket] : bucket;
          },
          (slot) => ({ signature: signatures.subarray(slot * permutations, (slot + 1) * permutations), sketch: slotSketches[slot], contentKey: slotHashes[slot] }),
          nearDuplicateThreshold,
          maxNearDuplicateCandidates,
        );
        const best = found && { line: slotLines[found.match], verdict: found.verdict };
        const severity = best && nearDuplicateSeverity(best.verdict, rules);
        if (best && severity) {
          yield { ...row, severity, rule: "near-duplicate", message: nearDuplicateMessage(best.line, best.verdict), related: related(best.line, "Similar row") };
        }
      }
      if (slotLines.length < indexLimit) {
        const slot = slotLines.length;
        if ((slot + 1) * permutations > signatures.length) {
          const grown = new Uint32Array(Math.min(indexLimit * permutations, signatures.length * 2));
          grown.set(signatures);
          signatures = grown;
        }
        signatures.set(analysis.signature, slot * permutations);
        slotLines.push(line);
        slotHashes.push(contentHash ?? -1);
        slotSketches.push(analysis.sketch!);
        keys.forEach((key, band) => {
          const bucket = bands[band].get(key);
          if (bucket === undefined) bands[band].set(key, slot);
          else if (typeof bucket === "number") bands[band].set(key, [bucket, slot]);
          else if (bucket.length < maxBucketRows) bucket.push(slot);
        });
      }
    }
    if (options.tokens && analysis.text !== undefined) {
      const count = options.tokens.counter.count(analysis.text);
      const severity = effectiveSeverity("too-many-tokens", rules);
      if (count > options.tokens.max && severity) {
        yield { ...row, severity, rule: "too-many-tokens", message: `${count.toLocaleString("en-US")} tokens of text (chat-template tokens not counted) exceed the limit of ${options.tokens.max.toLocaleString("en-US")}: the trainer drops or truncates this row.` };
      }
    }
  }
}
