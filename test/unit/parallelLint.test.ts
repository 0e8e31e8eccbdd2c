import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createReadStream, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { lintInParallel, parallelMinBytes, parallelThresholdBytes, twoCoreParallelMinBytes, validateRowsInParallel } from "../../src/cli/parallelLint";
import { chunkBytes, HandedRowsSource } from "../../src/cli/lintChunkSources";
import { LintWorkerPool } from "../../src/cli/lintWorkerPool";
import { lintsOnThreads, startLintThreadEarly, takeEarlyLintThread } from "../../src/cli/earlyLintThread";
import { readArrayElementBatches } from "../../src/core/jsonArray/arrayElements";
import { validateArrayItems } from "../../src/core/jsonArray/validateArray";
import { readLines, ReadLine } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { validateLines } from "../../src/core/validate/streamValidator";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const workerScript = join(repoRoot, "out", "lint-worker.js");
const dir = scratchDir("instruct-studio-parallel-");

async function collect(findings: AsyncIterable<Diagnostic>): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for await (const d of findings) out.push(d);
  return out;
}

/** About 20 MB of Alpaca rows with every kind of cross-row and per-row problem spread through it; another seed, other rows. */
function corpus(seed = 7): string {
  const words = "the model reads every row of the dataset and learns what the answer looks like when the question asks for a list".split(" ");
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const sentence = (n: number) => Array.from({ length: n }, () => words[Math.floor(random() * words.length)]).join(" ");
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < 20 * 1024 * 1024; i++) {
    const row = JSON.stringify({ instruction: `${i}: ${sentence(12)}`, input: i % 3 ? "" : sentence(20), output: sentence(60 + (i % 40)) });
    lines.push(row);
    if (i % 997 === 5) lines.push(lines[lines.length - 2]);
    if (i % 1511 === 0) lines.push(JSON.stringify({ instruction: `near ${i}: ${sentence(12)}`, output: "" }));
    if (i % 2003 === 0) lines.push('{"instruction": "bad" "output": "y"}');
    if (i % 3001 === 0) lines.push("");
    if (i % 4001 === 0)
      lines.push(
        JSON.stringify({
          conversations: [
            { from: "human", value: "hi" },
            { from: "gpt", value: "hello" },
          ],
        }),
      );
    if (i % 5003 === 0) lines.push(`${lines[lines.length - 1].slice(0, -2)} again"}`);
    bytes += row.length + 1;
  }
  return `\uFEFF${lines.join("\n")}\r\n${JSON.stringify({ instruction: "last", output: "row" })}`;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * The corpus as a JSON array: each row an element, every seventh pretty-printed over several
 * lines, with a missing comma, a doubled one and a trailing one among them.
 */
function arrayCorpus(): string {
  const elements = corpus()
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    // Rows cut short would leave a string open to the end of the file: only the unbalanced-comma one stays.
    .filter((line) => line.includes('"bad" "output"') || parses(line))
    .map((line, i) => {
      if (i % 7 !== 3 || !parses(line)) return `  ${line}`;
      return JSON.stringify(JSON.parse(line), null, 2).replace(/^/gm, "  ");
    });
  const [missing, doubled] = [Math.floor(elements.length * 0.7), Math.floor(elements.length * 0.8)];
  const joined = elements.map((element, i) => (i === missing ? `${element}\n` : i === doubled ? `${element},,\n` : `${element},\n`)).join("");
  return `\uFEFF[\n${joined}]\n`;
}

const rowText = (i: number) => JSON.stringify({ instruction: `row ${String(i).padStart(6, "0")}`, output: "x".repeat(4000) });

async function* rowBatches(rows: number, perBatch: number, pulled: { rows: number }): AsyncGenerator<ReadLine[]> {
  for (let first = 0; first < rows; first += perBatch) {
    const batch: ReadLine[] = [];
    for (let i = first; i < Math.min(rows, first + perBatch); i++) {
      const text = rowText(i);
      batch.push({ lineNumber: i + 1, text, byteLength: text.length, invalidUtf8: false, tooLong: false, eol: "" });
    }
    pulled.rows += batch.length;
    yield batch;
  }
}

/** A worker that analyses two chunks and stops on the third, leaving chunks it held and chunks this thread took ahead to place. */
function workerStoppingOnThirdChunk(): string {
  const script = join(dir, "stops-on-third.js");
  writeFileSync(
    script,
    `let chunks = 0;
    require("node:worker_threads").parentPort.on("message", () => { if (++chunks === 3) process.exit(3); });
    require(${JSON.stringify(workerScript)});`,
  );
  return script;
}

/** What `run` gives, and what it wrote to standard error meanwhile (not passed on). */
async function withStderr<T>(run: () => Promise<T>): Promise<{ result: T; notes: string[] }> {
  const notes: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((text: string) => notes.push(text) > 0) as typeof process.stderr.write;
  try {
    return { result: await run(), notes };
  } finally {
    process.stderr.write = write;
  }
}

describe("lint on every core", () => {
  it("gives exactly the sequential lint's findings, in the same order, over chunk boundaries", async () => {
    const file = join(dir, "corpus.jsonl");
    writeFileSync(file, corpus());
    const sequential = await collect(validateLines(readLines(createReadStream(file))));
    const parallel = await collect(lintInParallel(file, {}, workerScript));
    assert.ok(sequential.length > 100, `${sequential.length} findings`);
    for (const rule of ["duplicate-row", "near-duplicate", "empty-output", "syntax", "blank-line", "mixed-formats"])
      assert.ok(
        sequential.some((d) => d.rule === rule),
        rule,
      );
    assert.equal(parallel.length, sequential.length);
    assert.deepEqual(parallel, sequential);
  });

  it("gives the same findings once the near-duplicate index is full and the slabs of later rows are handed back to be cut again", async () => {
    // Seven 4 MB chunks: the index fills in the second (a worker's), whose rows' vectors must outlive the reuse of later
    // chunks' slabs, on the worker and on this thread; rows of the fifth to seventh are near duplicates of indexed rows.
    const words =
      "river stone lamp garden window paper music winter orange silver castle forest letter bridge candle mirror harbor meadow valley cloud thunder copper velvet lantern compass anchor feather marble pepper saddle ticket violin".split(
        " ",
      );
    let seed = 11;
    const word = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return words[(seed >>> 0) % words.length];
    };
    const sentence = (n: number) => Array.from({ length: n }, word).join(" ");
    const rows: Array<{ instruction: string; output: string }> = [];
    const lines: string[] = [];
    for (let bytes = 0, i = 0; bytes < 27 * 1024 * 1024; i++) {
      const late = i > 34_000 && i % 10 === 0;
      const row = late ? { ...rows[9_000 + (i % 3_000)] } : { instruction: sentence(40), output: sentence(30) };
      if (late) row.instruction = `${row.instruction.slice(0, row.instruction.lastIndexOf(" "))} ${word()} ${word()}`;
      rows.push(row);
      lines.push(JSON.stringify(row));
      bytes += lines[lines.length - 1].length + 1;
    }
    const file = join(dir, "index-full.jsonl");
    writeFileSync(file, lines.join("\n"));
    const options = { nearDuplicateIndexRows: 12_000 };
    const sequential = await collect(validateLines(readLines(createReadStream(file)), options));
    const parallel = await collect(lintInParallel(file, options, workerScript));
    const near = sequential.filter((d) => d.rule === "near-duplicate");
    assert.ok(near.length > 100, `${near.length} near duplicates`);
    // Rows past the index are found (members of groups whose first row is an indexed one's repeat).
    assert.ok(near.some((d) => d.related![0].line >= 9_000 && d.related!.some((r) => r.line > 45_000)));
    assert.deepEqual(parallel, sequential);
  });

  it("lints by itself, with the same findings, what a thread that failed did not hand back", async () => {
    const file = join(dir, "corpus-for-failures.jsonl");
    writeFileSync(file, corpus());
    const sequential = await collect(validateLines(readLines(createReadStream(file))));
    // One worker never loads; the other stops on its third chunk.
    const neverLoads = join(dir, "never-loads.js");
    writeFileSync(neverLoads, 'throw new Error("this worker cannot load");');
    for (const script of [neverLoads, workerStoppingOnThirdChunk()]) {
      const { result, notes } = await withStderr(() => collect(lintInParallel(file, {}, script)));
      assert.deepEqual(result, sequential, script);
      assert.equal(notes.length, 1, notes.join(""));
      assert.match(notes[0], /^note: a lint thread failed \(.+\); lines from \d+ on are linted on one thread\n$/);
    }
  });

  it("gives a JSON array's rows exactly the sequential findings, placed in the file, with a thread that fails or not", async () => {
    const file = join(dir, "corpus.json");
    writeFileSync(file, arrayCorpus());
    const read = () => readArrayElementBatches(createReadStream(file, { highWaterMark: 64 * 1024 }));
    const sequential = await collect(validateArrayItems(read()));
    for (const rule of ["duplicate-row", "near-duplicate", "empty-output", "syntax", "mixed-formats"])
      assert.ok(
        sequential.some((d) => d.rule === rule),
        rule,
      );
    // Findings inside a pretty-printed element and the array's own problems, far into the file.
    assert.ok(sequential.some((d) => d.line > 40_000 && d.endLine > d.line));
    assert.ok(sequential.some((d) => d.message.startsWith("Comma expected") && d.line > 40_000));
    assert.ok(sequential.some((d) => d.message.startsWith("Value expected") && d.line > 40_000));
    assert.deepEqual(await collect(validateArrayItems(read(), {}, undefined, validateRowsInParallel(file, workerScript))), sequential);

    const stopping = validateRowsInParallel(file, workerStoppingOnThirdChunk());
    const { result, notes } = await withStderr(() => collect(validateArrayItems(read(), {}, undefined, stopping)));
    assert.deepEqual(result, sequential);
    assert.equal(notes.length, 1, notes.join(""));
    assert.match(notes[0], /^note: a lint thread failed \(.+\); rows from \d+ on are linted on one thread\n$/);
  });

  it("reads a JSON array's rows only as far as the threads are let take them, and lets each chunk's rows go once compared", async () => {
    const pulled = { rows: 0 };
    const compared: number[] = [];
    // 4 KB rows: 512 to a chunk; the sample takes 1,000 rows.
    const source = new HandedRowsSource(rowBatches(20_000, 100, pulled), 20_000 * rowText(0).length, {}, (row) => compared.push(row));
    const sample = await source.sample();
    assert.equal(sample.format, "alpaca");
    assert.equal(pulled.rows, 1_000);
    await source.readTo(6);
    assert.equal(source.chunks.length, 6);
    const rowsPerChunk = Math.ceil(chunkBytes / rowText(0).length);
    assert.ok(pulled.rows <= 6 * rowsPerChunk + 100, `${pulled.rows} rows read for 6 chunks`);
    assert.deepEqual(
      source.chunks.map((chunk) => [chunk.start, chunk.end - chunk.start, chunk.rows![0].lineNumber - 1]),
      source.chunks.map((_chunk, i) => [i * rowsPerChunk, rowsPerChunk, i * rowsPerChunk]),
    );
    assert.ok(source.chunks.every((chunk) => chunk.fileFormat === "alpaca"));
    source.compared(source.chunks[0]);
    assert.equal(source.chunks[0].rows, undefined);
    assert.deepEqual(compared, [rowsPerChunk - 1]);
    await source.readTo(Infinity);
    assert.equal(pulled.rows, 20_000);
    assert.ok(source.complete);
    assert.equal(source.chunks[source.chunks.length - 1].end, 20_000);
    await source.close();
  });

  it("lints a run's later files with the threads its first file started, each file's findings as on one thread", async () => {
    const files = [join(dir, "first-of-run.jsonl"), join(dir, "second-of-run.jsonl")];
    writeFileSync(files[0], corpus());
    writeFileSync(files[1], corpus(29));
    const threads = new LintWorkerPool(workerScript);
    const found: Diagnostic[][] = [];
    const started: number[] = [];
    try {
      for (const file of files) {
        const sequential = await collect(validateLines(readLines(createReadStream(file))));
        assert.equal(threads.warm, found.length > 0);
        found.push(await collect(lintInParallel(file, {}, threads)));
        assert.deepEqual(found[found.length - 1], sequential, file);
        started.push(threads.started);
      }
    } finally {
      await threads.close();
    }
    // A thread that read the first file's chunks for the second would be caught: their findings differ.
    assert.notDeepEqual(found[0], found[1]);
    assert.ok(started[0] >= 1);
    assert.equal(started[1], started[0]);
  });

  it("stops the threads a lint stopped early left with chunks in hand, and lints the next file with new ones", async () => {
    const file = join(dir, "stopped-early.jsonl");
    writeFileSync(file, corpus());
    const sequential = await collect(validateLines(readLines(createReadStream(file))));
    const threads = new LintWorkerPool(workerScript);
    try {
      const stopped = lintInParallel(file, {}, threads);
      assert.deepEqual((await stopped.next()).value, sequential[0]);
      await stopped.return(undefined);
      const first = threads.started;
      // Chunks they still held would come back into the next lint, under its chunks' numbers.
      assert.deepEqual(await collect(lintInParallel(file, {}, threads)), sequential);
      assert.equal(threads.started, 2 * first);
    } finally {
      await threads.close();
    }
  });

  it("never hands out a kept thread that has stopped", async () => {
    const threads = new LintWorkerPool(workerScript);
    const [kept] = threads.take(1);
    threads.keep(kept);
    await kept.terminate();
    const [next] = threads.take(1);
    assert.notEqual(next, kept);
    assert.equal(threads.started, 2);
    threads.keep(next);
    await threads.close();
  });

  it("lint of several large files on every core prints what one thread prints", () => {
    const files = [join(dir, "cli-first.jsonl"), join(dir, "cli-second.jsonl")];
    writeFileSync(files[0], corpus(3));
    writeFileSync(files[1], corpus(41));
    const lint = (threads: string) =>
      spawnSync(process.execPath, [join(repoRoot, "out", "cli.js"), "lint", "--json", ...files], {
        encoding: "utf8",
        env: { ...process.env, INSTRUCT_STUDIO_LINT_THREADS: threads },
        maxBuffer: 1 << 28,
        timeout: 120_000,
      });
    const [one, two] = [lint("1"), lint("2")];
    assert.equal(two.status, one.status, two.stderr);
    assert.equal(two.stderr, one.stderr);
    const findings = JSON.parse(one.stdout) as Array<{ file: string }>;
    assert.ok(files.every((file) => findings.some((f) => f.file === file)));
    assert.equal(two.stdout, one.stdout);
  });

  it("two cores lint on both from 32 MB, more cores from 16 MB, and threads asked for from 16 MB on any machine", () => {
    assert.equal(parallelThresholdBytes(2, undefined), twoCoreParallelMinBytes);
    assert.equal(parallelThresholdBytes(1, undefined), twoCoreParallelMinBytes);
    assert.equal(parallelThresholdBytes(4, undefined), parallelMinBytes);
    assert.equal(parallelThresholdBytes(2, 2), parallelMinBytes);
    // Threads a run already compiled are worth it on two cores from 16 MB too.
    assert.equal(parallelThresholdBytes(2, undefined, true), parallelMinBytes);
    assert.ok(twoCoreParallelMinBytes > parallelMinBytes);
  });
});

describe("the lint thread the launcher starts while the CLI loads", () => {
  const big = join(dir, "early-big.jsonl");
  const small = join(dir, "early-small.jsonl");
  writeFileSync(small, '{"instruction": "a", "output": "b"}\n');
  // Only the size is read: a sparse file of the threshold.
  writeFileSync(big, "");
  truncateSync(big, parallelMinBytes);
  const argv = (...args: string[]) => [process.execPath, "cli.js", ...args];
  const withThreads = <T>(threads: string, run: () => T): T => {
    const before = process.env.INSTRUCT_STUDIO_LINT_THREADS;
    process.env.INSTRUCT_STUDIO_LINT_THREADS = threads;
    try {
      return run();
    } finally {
      if (before === undefined) delete process.env.INSTRUCT_STUDIO_LINT_THREADS;
      else process.env.INSTRUCT_STUDIO_LINT_THREADS = before;
    }
  };

  it("is started for a lint of a file the parallel lint takes, not for a small file, another command, a tokenizer or one thread", () => {
    withThreads("2", () => {
      assert.equal(lintsOnThreads(argv("lint", "--json", small, big)), true);
      assert.equal(lintsOnThreads(argv("lint", small)), false);
      assert.equal(lintsOnThreads(argv("stats", big)), false);
      assert.equal(lintsOnThreads(argv("lint", "--tokenizer", "t.json", "--max-tokens", "9", big)), false);
      // A path through a file is an error for the lint to report, not for the launcher.
      assert.equal(lintsOnThreads(argv("lint", join(small, "below"))), false);
    });
    withThreads("1", () => assert.equal(lintsOnThreads(argv("lint", big)), false));
  });

  it("is taken by the pool for its script, before a new thread is started, and does not count as compiled", async () => {
    withThreads("2", () => startLintThreadEarly(argv("lint", big), workerScript));
    const other = new LintWorkerPool(join(dir, "other-worker.js"));
    assert.equal(other.started, 0, "a pool for another script leaves it");
    const threads = new LintWorkerPool(workerScript);
    assert.equal(threads.started, 1);
    assert.equal(threads.warm, false);
    assert.equal(takeEarlyLintThread(workerScript), undefined, "it is handed out once");
    const [taken] = threads.take(1);
    assert.equal(threads.started, 1);
    threads.keep(taken);
    assert.equal(threads.warm, true);
    await threads.close();
  });

  it("is not taken once it has stopped", async () => {
    const early = withThreads("2", () => startLintThreadEarly(argv("lint", big), workerScript));
    assert.ok(early);
    await early.terminate();
    const threads = new LintWorkerPool(workerScript);
    assert.equal(threads.started, 0);
    await threads.close();
  });
});
