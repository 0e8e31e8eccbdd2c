// The model commands at dataset scale, against an OpenAI-compatible server in its own process
// with a fixed 300 ms latency (the tests' server): rows/s at each concurrency against the ideal
// (concurrency / latency), our CPU time and memory per 1,000 rows, and what resuming costs.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { getHeapStatistics } from "node:v8";
import { HttpBackend } from "../src/backend/httpBackend";
import { critiqueTarget, CritiqueTarget, judgedHashes } from "../src/core/batch/critiqueRows";
import { critiqueRows } from "../src/core/batch/critiqueRun";
import { rowHash } from "../src/core/batch/rowHash";
import { repoRoot } from "../test/launch/paths";

const latencyMs = 300;

function rows(count: number, from = 0): CritiqueTarget[] {
  return Array.from({ length: count }, (_, i) => {
    const text = JSON.stringify({
      instruction: `Explain item ${from + i} of the list in two sentences.`,
      input: "",
      output: `Item ${from + i} is explained here.`,
    });
    return critiqueTarget(from + i + 1, text) as CritiqueTarget;
  });
}

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [join(repoRoot, "out", "test", "launch", "fakeServer.js"), String(latencyMs)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout, "data")) as [Buffer];
  return { url: chunk.toString("utf8").trim(), stop: () => child.kill() };
}

export interface ConcurrencyFigure {
  concurrency: number;
  rows: number;
  rowsPerSecond: number;
  idealRowsPerSecond: number;
  ofIdeal: number;
  cpuMsPer1000Rows: number;
}

export async function datasetScale(): Promise<{
  latencyMs: number;
  concurrency: ConcurrencyFigure[];
  memory: Record<string, number>;
  resume: Record<string, number>;
}> {
  const server = await startServer();
  try {
    const figures: ConcurrencyFigure[] = [];
    let offset = 0;
    // Warm-up: the JIT and the connection pool, so the first level is not charged for them.
    const warm = new HttpBackend({ url: server.url, parallel: 64, stallTimeoutMs: 60_000 });
    await critiqueRows(warm, rows(256, offset), {
      concurrency: 64,
      onResult: () => undefined,
      onFailed: (_rows, error) => {
        throw error;
      },
    });
    for (const concurrency of [1, 4, 16, 64]) {
      const backend = new HttpBackend({ url: server.url, parallel: concurrency, stallTimeoutMs: 60_000 });
      await backend.prepare();
      // About 3 s of ideal work at each level, after a warm-up round of one request per lane.
      const count = Math.round((3000 / latencyMs) * concurrency);
      await critiqueRows(backend, rows(concurrency, (offset += 100_000)), {
        concurrency,
        onResult: () => undefined,
        onFailed: (_rows, error) => {
          throw error;
        },
      });
      const targets = rows(count, (offset += 100_000));
      const cpu = process.cpuUsage();
      const started = performance.now();
      let judged = 0;
      await critiqueRows(backend, targets, {
        concurrency,
        onResult: (r) => (judged += r.length),
        onFailed: (_rows, error) => {
          throw error;
        },
      });
      const seconds = (performance.now() - started) / 1000;
      const used = process.cpuUsage(cpu);
      if (judged !== count) throw new Error(`${judged} of ${count} rows judged`);
      const idealRowsPerSecond = concurrency / (latencyMs / 1000);
      figures.push({
        concurrency,
        rows: count,
        rowsPerSecond: count / seconds,
        idealRowsPerSecond,
        ofIdeal: count / seconds / idealRowsPerSecond,
        cpuMsPer1000Rows: ((used.user + used.system) / 1000 / count) * 1000,
      });
    }
    // Memory: 5,000 rows at concurrency 64, the heap sampled as results arrive.
    const backend = new HttpBackend({ url: server.url, parallel: 64, stallTimeoutMs: 60_000 });
    const targets = rows(5000, (offset += 100_000));
    global.gc?.();
    const heapBefore = getHeapStatistics().used_heap_size;
    let peakHeap = heapBefore;
    await critiqueRows(backend, targets, {
      concurrency: 64,
      onResult: () => (peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size)),
      onFailed: (_rows, error) => {
        throw error;
      },
    });
    global.gc?.();
    const retained = getHeapStatistics().used_heap_size - heapBefore;
    // The peak includes garbage not yet collected; what stays after the run is what grows with rows.
    const memory = {
      rows: targets.length,
      peakHeapGrowthMb: (peakHeap - heapBefore) / 1024 / 1024,
      retainedKbPer1000Rows: retained / 1024 / (targets.length / 1000),
    };
    return { latencyMs, concurrency: figures, memory, resume: resumeCost() };
  } finally {
    server.stop();
  }
}

/**
 * Resuming a 100,000-row file whose results are all written: reading the results file's hashes
 * and setting the judged rows aside, against the baseline of hashing the rows (which any run does).
 */
function resumeCost(): Record<string, number> {
  const count = 100_000;
  const texts = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ instruction: `Explain item ${i} of the list in two sentences.`, input: "", output: `Item ${i} is explained here.` }),
  );
  const dir = join(repoRoot, ".bench");
  mkdirSync(dir, { recursive: true });
  const resultLines = texts.map((t, i) =>
    JSON.stringify({ line: i + 1, hash: rowHash(t), score: 4, rationale: "Clear and correct, though short.", issues: [] }),
  );
  writeFileSync(join(dir, "resume-results.jsonl"), `${resultLines.join("\n")}\n`);
  const time = (work: () => void) => {
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      work();
      runs.push(performance.now() - started);
    }
    return runs.sort((a, b) => a - b)[2];
  };
  const hashingMs = time(() => texts.forEach((t) => rowHash(t)));
  const resumeMs = time(() => {
    const judged = judgedHashes(resultLines);
    let left = 0;
    for (const t of texts) if (!judged.has(rowHash(t))) left++;
    if (left !== 0) throw new Error("resume found rows without results");
  });
  return { rows: count, hashingMs, resumeMs, ratio: resumeMs / hashingMs };
}
