import { lintInParallel, LintWorkers, lintThreads, validateRowsInParallel } from "../src/cli/parallelLint";
import { LintWorkerPool } from "../src/cli/lintWorkerPool";
import { openDataset } from "../src/cli/readDataset";
import { spawn } from "node:child_process";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RowsValidator, validateArrayItems } from "../src/core/jsonArray/validateArray";
import { readLines } from "../src/core/jsonl/lineReader";
import { analyzeRow } from "../src/core/validate/analyzeRow";
import { DocumentValidator } from "../src/core/validate/documentValidator";
import { validateLineBatches } from "../src/core/validate/streamValidator";
import { repoRoot } from "../test/launch/paths";

const benchDir = join(repoRoot, ".bench");
const words = (
  "the a of to and in is for on that with as by this be are from at or an it which model data train answer question explain write list describe " +
  "summarize translate classify generate sentence paragraph story poem code function python number value city river mountain history science " +
  "energy water climate music language student teacher market price company customer product service health food travel weather time year"
).split(" ");

/** A deterministic pseudo-random generator, so every run benchmarks the same file. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 0x100000000;
  };
}

function sentence(next: () => number, count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(words[Math.floor(next() * words.length)]);
  return `${out.join(" ")}.`;
}

/** An Alpaca-style file: varied instructions, about 40% with an input, like the original 52K. */
export async function alpacaFile(megabytes: number): Promise<string> {
  mkdirSync(benchDir, { recursive: true });
  const path = join(benchDir, `alpaca-${megabytes}mb.jsonl`);
  const target = megabytes * 1024 * 1024;
  if (existsSync(path) && statSync(path).size >= target) return path;
  const next = random(megabytes);
  const out = createWriteStream(path);
  let written = 0;
  let chunk = "";
  while (written < target) {
    const row = JSON.stringify({
      instruction: sentence(next, 6 + Math.floor(next() * 14)),
      input: next() < 0.4 ? sentence(next, 10 + Math.floor(next() * 40)) : "",
      output: sentence(next, 20 + Math.floor(next() * 120)),
    });
    chunk += `${row}\n`;
    written += Buffer.byteLength(row) + 1;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
      chunk = "";
    }
  }
  out.end(chunk);
  await new Promise<void>((r) => out.on("finish", () => r()));
  return path;
}

/** The same rows as a JSON array, indented as Alpaca ships its data (the shape LLaMA-Factory's datasets take). */
function jsonArrayOf(path: string): string {
  const arrayPath = path.replace(/\.jsonl$/, ".json");
  if (existsSync(arrayPath) && statSync(arrayPath).mtimeMs >= statSync(path).mtimeMs) return arrayPath;
  const rows = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as unknown);
  writeFileSync(arrayPath, JSON.stringify(rows, null, 4));
  return arrayPath;
}

/** CPU time of every thread of this process since `from` (a `process.cpuUsage()`), in ms. */
const cpuMsSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

/**
 * Whole-file lint (the CLI's pipeline) against a bare loop that JSON.parses each line, same file;
 * and the lint of the same rows as a JSON array.
 */
export async function lintThroughput(path: string): Promise<Record<string, number>> {
  const megabytes = statSync(path).size / 1024 / 1024;
  const arrayPath = jsonArrayOf(path);
  const baseline = async () => {
    const started = performance.now();
    let rows = 0;
    for await (const line of readLines(createReadStream(path, { highWaterMark: 1 << 20 }))) {
      if (line.text) {
        JSON.parse(line.text);
        rows++;
      }
    }
    return { ms: performance.now() - started, rows };
  };
  const lint = async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let problems = 0;
    // As the CLI reads a file on one thread: openDataset's batches of lines, read by fileChunks.
    const dataset = await openDataset(path);
    if (dataset.kind !== "jsonl") throw new Error(`${path} is not JSON Lines`);
    for await (const _ of validateLineBatches(dataset.batches, { fileBytes: statSync(path).size })) problems++;
    return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu), problems };
  };
  const workerScript = join(repoRoot, "out", "lint-worker.js");
  // The CLI's path on a large file: worker threads and this one analyse chunks, this one compares rows.
  // With the script, each run starts its threads, as for a run's first file; with the pool, they
  // linted a file before, as for a run's later files (this thread is warm in both).
  const lintOnEveryCoreWith = (workers: LintWorkers) => async () => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    let problems = 0;
    for await (const _ of lintInParallel(path, {}, workers)) problems++;
    return { ms: performance.now() - started, cpuMs: cpuMsSince(cpu), problems };
  };
  const lintOnEveryCore = lintOnEveryCoreWith(workerScript);
  const warmThreads = new LintWorkerPool(workerScript);
  const lintOnWarmCores = lintOnEveryCoreWith(warmThreads);
  // On one thread, and the CLI's path on a large array: this thread reads the elements and hands them to the threads in chunks.
  const lintArrayWith = (validate?: RowsValidator) => async () => {
    const started = performance.now();
    let problems = 0;
    const dataset = await openDataset(arrayPath);
    if (dataset.kind !== "array") throw new Error(`${arrayPath} is not a JSON array`);
    for await (const _ of validateArrayItems(dataset.batches, { fileBytes: statSync(arrayPath).size }, undefined, validate)) problems++;
    return { ms: performance.now() - started, problems };
  };
  const lintArray = lintArrayWith();
  const lintArrayOnEveryCore = lintArrayWith(validateRowsInParallel(arrayPath, workerScript));
  await baseline(); // warm-up: file cache and JIT
  await lintOnWarmCores();
  // Shared machines vary by a third from one run to the next: each figure is the best of two,
  // taken in turns, so a slow spell does not fall on one side only.
  const runs = {
    base: [await baseline()],
    lint: [await lint()],
    parallel: [await lintOnEveryCore()],
    parallelWarm: [await lintOnWarmCores()],
    array: [await lintArray()],
    arrayParallel: [await lintArrayOnEveryCore()],
  };
  runs.base.push(await baseline());
  runs.lint.push(await lint());
  runs.parallel.push(await lintOnEveryCore());
  runs.parallelWarm.push(await lintOnWarmCores());
  runs.array.push(await lintArray());
  runs.arrayParallel.push(await lintArrayOnEveryCore());
  runs.base.push(await baseline());
  await warmThreads.close();
  const best = <T extends { ms: number }>(all: T[]) => all.reduce((a, b) => (b.ms < a.ms ? b : a));
  const [base, linted, parallel, parallelWarm, array, arrayParallel] = [
    best(runs.base),
    best(runs.lint),
    best(runs.parallel),
    best(runs.parallelWarm),
    best(runs.array),
    best(runs.arrayParallel),
  ];
  const baseMs = base.ms;
  return {
    megabytes,
    rows: base.rows,
    baselineMs: baseMs,
    lintMs: linted.ms,
    // CPU of every thread: on one thread V8 also compiles and collects on other cores.
    lintCpuMs: linted.cpuMs,
    problems: linted.problems,
    ratio: baseMs / linted.ms,
    threads: lintThreads(),
    lintEveryCoreMs: parallel.ms,
    ratioEveryCore: baseMs / parallel.ms,
    speedupEveryCore: linted.ms / parallel.ms,
    // What new threads cost besides the lint: each starts, and compiles the analysis for itself.
    lintEveryCoreCpuMs: parallel.cpuMs,
    // Threads kept from an earlier file of the run: what the second core is worth once they are compiled.
    lintEveryCoreWarmMs: parallelWarm.ms,
    lintEveryCoreWarmCpuMs: parallelWarm.cpuMs,
    speedupEveryCoreWarm: linted.ms / parallelWarm.ms,
    // The array file is larger by its indentation; its rows and findings are the same.
    arrayMegabytes: statSync(arrayPath).size / 1024 / 1024,
    lintJsonArrayMs: array.ms,
    ratioJsonArray: baseMs / array.ms,
    lintJsonArrayEveryCoreMs: arrayParallel.ms,
    ratioJsonArrayEveryCore: baseMs / arrayParallel.ms,
    speedupJsonArrayEveryCore: array.ms / arrayParallel.ms,
  };
}

/**
 * Latency of re-validating after one-line edits in a 300,000-line document, as the editor does
 * on each edit (re-check the line, update duplicates, collect what it publishes). The document is
 * 300,000 distinct short rows: VS Code gives extensions no file over 50 MB.
 */
export function revalidationLatency(lines: number, edits: number, rows: "distinct" | "identical" | "near" = "distinct"): Record<string, number> {
  const next = random(lines);
  const same = JSON.stringify({ instruction: "Name a colour.", input: "", output: "Blue." });
  const template = "Write a short story about a brave little robot who learns to paint sunsets over the quiet harbour town called";
  const all = Array.from({ length: lines }, (_, i) =>
    rows === "identical"
      ? same
      : rows === "near"
        ? JSON.stringify({ instruction: `${template} ${wordOf(i)}`, input: "", output: sentence(next, 6 + Math.floor(next() * 10)) })
        : JSON.stringify({
            instruction: `${i}: ${sentence(next, 4 + Math.floor(next() * 6))}`,
            input: "",
            output: sentence(next, 6 + Math.floor(next() * 10)),
          }),
  );
  const text = all.join("\n");
  const validator = new DocumentValidator();
  const openStarted = performance.now();
  validator.setText(text);
  const openMs = performance.now() - openStarted;
  const samples: number[] = [];
  const publishSamples: number[] = [];
  for (let i = 0; i < edits; i++) {
    const line = Math.floor(next() * lines);
    const row = all[line];
    // A typed character inside the output's text, as a user editing a row would.
    const column = row.length - 3;
    const started = performance.now();
    validator.applyEdit(line, column, line, column, "x");
    samples.push(performance.now() - started);
    // What the editor publishes after a pause in typing (at most 1,000 diagnostics).
    const publishStarted = performance.now();
    validator.diagnostics(1000);
    validator.summary();
    publishSamples.push(performance.now() - publishStarted);
    all[line] = row.slice(0, column) + "x" + row.slice(column);
  }
  const at = (values: number[], q: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))];
  return {
    lines,
    megabytes: text.length / 1024 / 1024,
    edits,
    openMs,
    p50Ms: at(samples, 0.5),
    p95Ms: at(samples, 0.95),
    maxMs: at(samples, 1),
    publishP95Ms: at(publishSamples, 0.95),
  };
}

/** A distinct word for each number, of letters only (prompts whose numbers differ are never near duplicates). */
const wordOf = (n: number) => n.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)));

/** Hostile shapes against ordinary data of the same size, in the same process: the ratios show whether any is superlinear. */
export function hostileRows(): Record<string, number> {
  const distinct = revalidationLatency(100_000, 200);
  const identical = revalidationLatency(100_000, 200, "identical");
  // One template, one word apart: every row nearly repeats another, and all are one group.
  const near = revalidationLatency(100_000, 200, "near");
  const keys = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, i]));
  const wide = JSON.stringify({ instruction: "a", input: "", output: "b", ...keys });
  const long = JSON.stringify({ instruction: "a", input: "", output: "b", note: "x".repeat(wide.length) });
  const time = (row: string) => {
    const started = performance.now();
    analyzeRow(row, 0, undefined);
    return performance.now() - started;
  };
  time(long);
  const longMs = time(long);
  const wideMs = time(wide);
  return {
    identicalOpenMs: identical.openMs,
    distinctOpenMs: distinct.openMs,
    identicalEditP95Ms: identical.p95Ms,
    distinctEditP95Ms: distinct.p95Ms,
    editP95Ratio: identical.p95Ms / distinct.p95Ms,
    identicalPublishP95Ms: identical.publishP95Ms,
    nearOpenMs: near.openMs,
    nearEditP95Ms: near.p95Ms,
    nearEditP95Ratio: near.p95Ms / distinct.p95Ms,
    nearPublishP95Ms: near.publishP95Ms,
    distinctPublishP95Ms: distinct.publishP95Ms,
    wideRowMs: wideMs,
    sameLengthRowMs: longMs,
    wideRowRatio: wideMs / longMs,
  };
}

/** The process and its descendants (the CLI re-runs itself with a capped heap). */
function processTree(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return [pid, ...children.flatMap(processTree)];
  } catch {
    return [];
  }
}

/** Peak resident memory of `instruct-studio lint` on a large file: the largest of its processes, read from /proc while it runs. */
export async function cliPeakMemory(path: string, args = ["lint", path], stdout?: (chunk: Buffer) => void): Promise<Record<string, number>> {
  const started = performance.now();
  const child = spawn(process.execPath, [join(repoRoot, "out", "cli.js"), ...args], { stdio: ["ignore", stdout ? "pipe" : "ignore", "inherit"] });
  if (stdout) child.stdout!.on("data", stdout);
  let peakKb = 0;
  const poll = setInterval(() => {
    for (const pid of processTree(child.pid!)) {
      try {
        const status = readFileSync(`/proc/${pid}/status`, "utf8");
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
      } catch {
        // exited between polls
      }
    }
  }, 100);
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? 1)));
  clearInterval(poll);
  return { gigabytes: statSync(path).size / 1024 ** 3, peakMb: peakKb / 1024, seconds: (performance.now() - started) / 1000, exitCode: code };
}
