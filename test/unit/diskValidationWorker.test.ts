import assert from "node:assert/strict";
import { createReadStream, existsSync, readdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { Worker } from "node:worker_threads";
import { readArrayElementBatches } from "../../src/core/jsonArray/arrayElements";
import { jsonDocumentFindings } from "../../src/core/jsonArray/jsonDocument";
import { validateArrayItems } from "../../src/core/jsonArray/validateArray";
import { readLineBatches } from "../../src/core/jsonl/lineReader";
import type { Diagnostic } from "../../src/core/lint/diagnostic";
import { validateLineBatches } from "../../src/core/validate/streamValidator";
import type { DiskValidationMessage } from "../../src/protocol/diskValidation";
import { repoRoot } from "../launch/paths";
import { distinctRows } from "../support/distinctRows";
import { scratchDir } from "./scratchDir";

const dir = scratchDir("instruct-studio-disk-");

type Done = Extract<DiskValidationMessage, { type: "done" }>;

/** The built worker's verdict on a file (the one "Validate Dataset File on Disk" starts), every finding kept; `stop` cancels it at once. */
function validateOnDisk(
  file: string,
  { threads, stop = false, stopAtProgress = false }: { threads?: string; stop?: boolean; stopAtProgress?: boolean } = {},
): Promise<Done> {
  const env = { ...process.env, INSTRUCT_STUDIO_LINT_THREADS: threads };
  const worker = new Worker(join(repoRoot, "out", "validate-worker.js"), { workerData: { file, options: {}, keep: 1_000_000 }, env });
  if (stop) worker.postMessage("stop");
  return new Promise<Done>((resolve, reject) => {
    worker.on("message", (message: DiskValidationMessage) => {
      if (message.type === "progress" && stopAtProgress) worker.postMessage("stop");
      if (message.type === "error") reject(new Error(message.message));
      if (message.type === "done") resolve(message);
    });
    worker.on("error", reject);
  }).finally(() => worker.terminate());
}

async function collect(findings: AsyncIterable<Diagnostic>): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [];
  for await (const d of findings) out.push(d);
  return out;
}

const rows = Array.from({ length: 3_000 }, (_, i) => ({
  instruction: `Give ${i % 400} reasons to learn the ${["violin", "piano", "cello"][i % 3]}.`,
  input: "",
  output: i % 500 === 7 ? "" : `Here are the reasons, number ${i}.`,
}));

describe("Validate Dataset File on Disk (its worker)", () => {
  it("reads an indented JSON array element by element, with the CLI's findings at the file's lines", async () => {
    const file = join(dir, "alpaca_data.json");
    // Indented as Alpaca ships it, with a missing comma between two elements.
    const text = JSON.stringify(rows, null, 4).replace('"Here are the reasons, number 2000."\n    },', '"Here are the reasons, number 2000."\n    }');
    writeFileSync(file, text);
    const done = await validateOnDisk(file);
    const cli = await collect(validateArrayItems(readArrayElementBatches(createReadStream(file))));
    assert.equal(done.array, true);
    assert.equal(done.format, "alpaca");
    assert.equal(done.lines, rows.length);
    assert.equal(done.problems, cli.length);
    assert.deepEqual(done.kept, cli);
    // Not a syntax error a line: the empty outputs, the repeated questions and the one missing comma.
    assert.deepEqual([...new Set(cli.map((d) => d.rule))].sort(), ["empty-output", "near-duplicate", "syntax"]);
    assert.equal(cli.filter((d) => d.rule === "syntax").length, 1);
    const emptyOutput = cli.find((d) => d.rule === "empty-output")!;
    assert.equal(text.split("\n")[emptyOutput.line], '        "output": ""');
  });

  it("checks a file that is one JSON object (dataset_info.json) for its syntax only, as the CLI does", async () => {
    const file = join(dir, "dataset_info.json");
    writeFileSync(file, '\uFEFF{\r\n  "demo": {\r\n    "file_name": "demo.json"\r\n    "formatting": "alpaca"\r\n  }\r\n}\r\n');
    const done = await validateOnDisk(file);
    assert.deepEqual(done.document, { read: true });
    assert.deepEqual(done.kept, jsonDocumentFindings(readFileSync(file, "utf8")));
    assert.deepEqual(
      done.kept.map((d) => [d.line, d.column, d.rule, d.message]),
      [[3, 4, "syntax", "Comma expected."]],
    );
    writeFileSync(file, JSON.stringify({ demo: { file_name: "demo.json" } }, null, 2));
    assert.deepEqual((await validateOnDisk(file)).kept, []);
    // On the first line, after a byte order mark, columns count as VS Code shows them (without it).
    writeFileSync(file, '\uFEFF{ "demo" {\n  }\n}');
    const first = (await validateOnDisk(file)).kept[0];
    assert.deepEqual([first.line, first.column, first.message], [0, 9, "Colon expected."]);
  });

  it("reads JSON Lines line by line, as before", async () => {
    const file = join(dir, "alpaca.jsonl");
    writeFileSync(file, `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
    const done = await validateOnDisk(file);
    const cli = await collect(validateLineBatches(readLineBatches(createReadStream(file))));
    assert.equal(done.array, false);
    assert.equal(done.lines, rows.length);
    assert.ok(cli.length > 10);
    assert.deepEqual(done.kept, cli);
    assert.equal(done.threads, 1);
  });

  // The files a process holds open are read from Linux's /proc.
  it("counts the bytes it reads, and closes the file whether it ends or is stopped midway", { skip: !existsSync("/proc/self/fd") }, async () => {
    // Several times the 100 ms between progress reports, with a finding on every row to stop at.
    const file = join(dir, "read-once.jsonl");
    writeFileSync(file, `${Array.from({ length: 120_000 }, () => JSON.stringify(rows[7])).join("\n")}\n`);
    const held = () =>
      readdirSync("/proc/self/fd").filter((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === file;
        } catch {
          return false; // closed while listed
        }
      }).length;
    const stopped = await validateOnDisk(file, { threads: "1", stopAtProgress: true });
    assert.equal(stopped.cancelled, true);
    assert.ok(stopped.bytesRead > 0 && stopped.bytesRead < statSync(file).size, `${stopped.bytesRead} bytes`);
    assert.equal(held(), 0);
    const done = await validateOnDisk(file, { threads: "1" });
    assert.deepEqual([done.cancelled, done.lines, done.bytesRead], [false, 120_000, statSync(file).size]);
    assert.equal(held(), 0);
  });

  it("validates a large file on every core, as lint does, with one thread's findings, and stops when asked", async () => {
    // 17 MB: past the 16 MB from which threads asked for are used.
    const many = Array.from({ length: 150_000 }, (_, i) => ({
      ...rows[i % rows.length],
      output: `${rows[i % rows.length].output} ${"and more. ".repeat(i % 9)}`,
    }));
    const file = join(dir, "large.jsonl");
    writeFileSync(file, `${many.map((row) => JSON.stringify(row)).join("\n")}\n`);
    const arrayFile = join(dir, "large.json");
    writeFileSync(arrayFile, JSON.stringify(many, null, 2));
    for (const [path, read] of [
      [file, () => validateLineBatches(readLineBatches(createReadStream(file)))],
      [arrayFile, () => validateArrayItems(readArrayElementBatches(createReadStream(arrayFile)))],
    ] as const) {
      const one = await collect(read());
      const done = await validateOnDisk(path, { threads: "2" });
      assert.equal(done.threads, 2, path);
      assert.equal(done.lines, many.length, path);
      assert.equal(done.format, "alpaca");
      assert.ok(one.some((d) => d.rule === "near-duplicate") && one.some((d) => d.rule === "empty-output"));
      assert.equal(done.problems, one.length, path);
      assert.deepEqual(done.kept, one, path);
      assert.equal(done.cancelled, false);
    }
  });

  it("stops a large file's validation on every core when asked, though no finding came to stop at", async () => {
    const lines = distinctRows(60_000, 5);
    const file = join(dir, "clean-large.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const stopped = await validateOnDisk(file, { threads: "2", stop: true });
    assert.equal(stopped.threads, 2);
    assert.equal(stopped.cancelled, true);
    assert.ok(stopped.lines < lines.length, `${stopped.lines} lines`);
    const done = await validateOnDisk(file, { threads: "2" });
    assert.deepEqual([done.problems, done.lines], [0, lines.length]);
  });
});
