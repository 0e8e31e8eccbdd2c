import { datasetContext, DatasetContextError, readDatasetRows } from "../core/generation/datasetContext";
import { generateEntries, GenerateOutcome } from "../core/generation/generateEntries";
import { selfInstructDefaults } from "../core/generation/selfInstruct";
import { AppendRefused, appendLines, insertIntoArray, seeFile } from "./appendRows";
import { UsageError } from "./lint";
import { cliBackend, ModelCliOptions } from "./modelCli";
import { escapeControls } from "./output";
import { isStdin, openDataset } from "./readDataset";

export interface GenerateCliOptions extends ModelCliOptions {
  count: string;
  append?: boolean;
  json?: boolean;
  seed?: string;
}

/** The dataset's rows as texts, from JSON Lines or from a JSON array's elements. */
async function readRows(file: string): Promise<{ texts: string[]; array: boolean }> {
  const dataset = await openDataset(file);
  const texts: string[] = [];
  if (dataset.kind === "jsonl") for await (const line of dataset.lines) texts.push(line.tooLong ? "" : line.text);
  else for await (const item of dataset.items) if (item.kind === "element") texts.push(item.tooLong ? "" : item.text);
  return { texts, array: dataset.kind === "array" };
}

/** Every request is accounted for: the counts add up to the requests sent. */
export function outcomeSummary(outcome: GenerateOutcome): string {
  const parts = [`${outcome.accepted.length} accepted`, `${outcome.rejected.length} rejected`];
  if (outcome.surplus > 0) parts.push(`${outcome.surplus} not needed (arrived after the ${outcome.accepted.length} were accepted)`);
  if (outcome.failed > 0) parts.push(`${outcome.failed} failed`);
  return `${parts.join(", ")}: ${outcome.attempts} request${outcome.attempts === 1 ? "" : "s"}`;
}

export async function generateCommand(file: string, options: GenerateCliOptions): Promise<number> {
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count wants a positive whole number, not "${options.count}"`);
  const seed = options.seed === undefined ? undefined : Number(options.seed);
  if (seed !== undefined && !Number.isInteger(seed)) throw new UsageError(`--seed wants a whole number, not "${options.seed}"`);
  if (options.append && isStdin(file)) throw new UsageError("--append needs a file, not standard input");
  const seen = options.append ? seeFile(file) : undefined;
  const { texts, array } = await readRows(file);
  let dataset;
  try {
    dataset = datasetContext(readDatasetRows(texts), {});
  } catch (error) {
    if (error instanceof DatasetContextError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  }
  const backend = cliBackend(options);
  try {
    const outcome = await generateEntries(backend, dataset, {
      count,
      seed,
      temperature: selfInstructDefaults.temperature,
      topP: selfInstructDefaults.topP,
      onRejected: (reason) => process.stderr.write(`rejected: ${escapeControls(reason)}\n`),
      onAccepted: (line) => {
        if (!options.json) process.stdout.write(`${line}\n`);
      },
    });
    if (options.json) process.stdout.write(`${JSON.stringify(outcome.accepted.map((line) => JSON.parse(line)))}\n`);
    if (outcome.error) process.stderr.write(`instruct-studio generate: stopped: ${escapeControls(outcome.error instanceof Error ? outcome.error.message : String(outcome.error))}\n`);
    // A run stopped by an error (a timeout, a server gone) is not a success, whatever it accepted before.
    let status = outcome.error ? 2 : outcome.accepted.length === 0 ? 1 : 0;
    if (seen && outcome.accepted.length > 0) {
      try {
        (array ? insertIntoArray : appendLines)(file, outcome.accepted, seen);
        process.stderr.write(`appended ${outcome.accepted.length} entr${outcome.accepted.length === 1 ? "y" : "ies"} to ${seen.target}\n`);
      } catch (error) {
        if (!(error instanceof AppendRefused)) throw error;
        process.stderr.write(`instruct-studio generate: ${escapeControls(error.message)}; the entries are on standard output\n`);
        status = 2;
      }
    }
    process.stderr.write(`${outcomeSummary(outcome)}\n`);
    return status;
  } finally {
    backend.dispose();
  }
}
