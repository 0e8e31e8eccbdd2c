import { closeSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { datasetContext, readDatasetRows } from "../core/generation/datasetContext";
import { generateEntries } from "../core/generation/generateEntries";
import { selfInstructDefaults } from "../core/generation/selfInstruct";
import { UsageError } from "./lint";
import { cliBackend, ModelCliOptions } from "./modelCli";
import { readDataset } from "./readDataset";

export interface GenerateCliOptions extends ModelCliOptions {
  count: string;
  append?: boolean;
  json?: boolean;
  seed?: string;
}

async function readLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readDataset(file)) lines.push(line.tooLong ? "" : line.text);
  return lines;
}

/** The file's line ending and whether it ends with one (its last bytes). */
function endingOf(file: string): { eol: string; endsWithNewline: boolean; empty: boolean } {
  const size = statSync(file).size;
  if (size === 0) return { eol: "\n", endsWithNewline: true, empty: true };
  const fd = openSync(file, "r");
  try {
    const head = Buffer.alloc(Math.min(size, 1 << 16));
    readSync(fd, head, 0, head.length, 0);
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return { eol: head.includes("\r\n") ? "\r\n" : "\n", endsWithNewline: last[0] === 0x0a, empty: false };
  } finally {
    closeSync(fd);
  }
}

/**
 * Appends rows atomically: the original bytes, then the rows, written to a temporary file beside
 * it and renamed over it, so a crash leaves either the old file or the new one, and every
 * original line stays byte-identical.
 */
export function appendAtomically(file: string, rows: string[], expected: { size: number; mtimeMs: number }): void {
  const now = statSync(file);
  if (now.size !== expected.size || now.mtimeMs !== expected.mtimeMs) throw new UsageError(`${file} changed while the entries were generated; nothing was appended`);
  const { eol, endsWithNewline, empty } = endingOf(file);
  const original = readFileSync(file);
  const addition = (empty || endsWithNewline ? "" : eol) + rows.join(eol) + eol;
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, Buffer.concat([original, Buffer.from(addition, "utf8")]), { mode: now.mode });
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
    throw error;
  }
}

export async function generateCommand(file: string, options: GenerateCliOptions): Promise<number> {
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count wants a positive whole number, not "${options.count}"`);
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed wants a whole number, not "${options.seed}"`);
  const before = statSync(file);
  const dataset = datasetContext(readDatasetRows(await readLines(file)), {});
  const backend = cliBackend(options);
  try {
    const outcome = await generateEntries(backend, dataset, {
      count,
      seed,
      temperature: selfInstructDefaults.temperature,
      topP: selfInstructDefaults.topP,
      onRejected: (reason) => process.stderr.write(`rejected: ${reason}\n`),
      onAccepted: (line) => {
        if (!options.json) process.stdout.write(`${line}\n`);
      },
    });
    if (options.json) process.stdout.write(`${JSON.stringify(outcome.accepted.map((line) => JSON.parse(line)))}\n`);
    if (outcome.error) process.stderr.write(`instruct-studio generate: stopped: ${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}\n`);
    if (options.append && outcome.accepted.length > 0) {
      appendAtomically(file, outcome.accepted, before);
      process.stderr.write(`appended ${outcome.accepted.length} entr${outcome.accepted.length === 1 ? "y" : "ies"} to ${file}\n`);
    }
    process.stderr.write(`${outcome.accepted.length} accepted, ${outcome.rejected.length} rejected, ${outcome.attempts} generated\n`);
    if (outcome.accepted.length === 0) return outcome.error ? 2 : 1;
    return 0;
  } finally {
    backend.dispose();
  }
}
