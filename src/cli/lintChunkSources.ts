// Where the chunks of a lint on every core come from: line-aligned byte ranges of a JSON Lines
// file, which each thread reads for itself, or rows this thread reads (a JSON array's elements,
// whose boundaries only a reader from the file's start can find) and hands over.
import { createReadStream } from "node:fs";
import { readLines, ReadLine } from "../core/jsonl/lineReader";
import { FormatSample, sampleFileFormat, StreamOptions, takeFormatSample } from "../core/validate/streamValidator";
import type { FormatId } from "../core/formats/formatLabels";
import type { LintChunk } from "../protocol/lintWorker";
import { lineAlignedRanges } from "../core/jsonl/lineAlignedRanges";
import { cliMaxLineBytes } from "./readDataset";

/**
 * Bytes of file per chunk a thread analyses at a time: small, so that at the end, the thread that
 * has nothing left to take waits for little (a 2 MB chunk takes a warm thread about 60 ms).
 */
export const chunkBytes = 2 * 1024 * 1024;

export interface ChunkSource {
  /** The chunks known so far, in line order. */
  readonly chunks: LintChunk[];
  /** About how many chunks there will be: threads start before they are all known. */
  readonly expectedChunks: number;
  /** What the chunks hold, for the note when a thread fails: "lines" or "rows". */
  readonly unit: string;
  /** The file's format, from its first rows; every chunk is analysed for it, so none is handed out before. */
  sample(): Promise<FormatSample>;
  /** Reads on until `count` chunks are known, or all of them are. */
  readTo(count: number): Promise<void>;
  /** The chunk's rows are compared and their findings handed on: what was held for them can go. */
  compared(chunk: LintChunk): void;
  /** Stops reading: the lint ended, or stopped early. */
  close(): Promise<void>;
}

/** A JSON Lines file cut at line ends: every chunk is known at once, and each thread reads its own from the file. */
export class LineRangeSource implements ChunkSource {
  readonly chunks: LintChunk[];
  readonly unit = "lines";

  constructor(
    private readonly file: string,
    size: number,
    private readonly options: StreamOptions,
  ) {
    this.chunks = lineAlignedRanges(file, size, Math.max(1, Math.ceil(size / chunkBytes))).map((range, id) => ({ id, ...range }));
  }

  get expectedChunks(): number {
    return this.chunks.length;
  }

  async sample(): Promise<FormatSample> {
    const lines = readLines(createReadStream(this.file, { end: 64 * 1024 * 1024, highWaterMark: 1024 * 1024 }), { maxLineBytes: cliMaxLineBytes });
    const sample = await sampleFileFormat(lines, this.options);
    await lines.return(undefined);
    for (const chunk of this.chunks) chunk.fileFormat = sample.format;
    return sample;
  }

  async readTo(): Promise<void> {}

  compared(): void {}

  async close(): Promise<void> {}
}

/**
 * Rows read on this thread, in batches, cut into chunks of about `chunkBytes` as they come and
 * handed over whole. Only the chunks between the one compared and the furthest a thread took are
 * held: reading goes no further than `readTo` asks.
 */
export class HandedRowsSource implements ChunkSource {
  readonly chunks: LintChunk[] = [];
  /** Whether every row is read and cut into chunks. */
  complete = false;
  readonly unit = "rows";
  readonly expectedChunks: number;
  private readonly iterator: AsyncIterator<readonly ReadLine[]>;
  private pending: ReadLine[] = [];
  private pendingBytes = 0;
  private format: FormatId | undefined;

  /** `onCompared(row)` hears that rows up to `row` (an ordinal) are compared. */
  constructor(
    batches: AsyncIterable<readonly ReadLine[]>,
    fileBytes: number,
    private readonly options: StreamOptions,
    private readonly onCompared: (row: number) => void,
  ) {
    this.iterator = batches[Symbol.asyncIterator]();
    this.expectedChunks = Math.max(1, Math.ceil(fileBytes / chunkBytes));
  }

  async sample(): Promise<FormatSample> {
    // The same rows decide the format as when the file is validated on one thread.
    const { sample, held, rest, ended } = await takeFormatSample(this.iterator, this.options);
    this.format = sample.format;
    this.add(held);
    this.add(rest);
    if (ended) this.finish();
    return sample;
  }

  async readTo(count: number): Promise<void> {
    while (!this.complete && this.chunks.length < count) {
      const next = await this.iterator.next();
      if (next.done) this.finish();
      else this.add(next.value);
    }
  }

  compared(chunk: LintChunk): void {
    chunk.rows = undefined;
    if (chunk.end > chunk.start) this.onCompared(chunk.end - 1);
  }

  async close(): Promise<void> {
    await this.iterator.return?.();
  }

  private add(rows: readonly ReadLine[]): void {
    for (const row of rows) {
      this.pending.push(row);
      this.pendingBytes += row.byteLength;
      if (this.pendingBytes >= chunkBytes) this.cut();
    }
  }

  private cut(): void {
    if (this.pending.length === 0) return;
    // Rows are numbered by ordinal from 1 (`lineNumber`), one after another.
    const start = this.pending[0].lineNumber - 1;
    this.chunks.push({ id: this.chunks.length, start, end: start + this.pending.length, rows: this.pending, fileFormat: this.format });
    this.pending = [];
    this.pendingBytes = 0;
  }

  private finish(): void {
    this.cut();
    this.complete = true;
  }
}
