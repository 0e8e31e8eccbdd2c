import { generateEntries, GenerateOutcome } from "../core/generation/generateEntries";
import { selfInstructDefaults } from "../core/generation/selfInstruct";
import { defaultRetryPolicy } from "../core/model/retryPolicy";
import { AcceptedEntries, seeFile } from "./appendRows";
import { loadDataset } from "./generationDataset";
import { readGenerateBatch, writeGenerateBatch } from "./generateBatch";
import { cliBackend, ModelCliOptions, positive } from "./modelCli";
import { escapeControls } from "./output";
import { isStdin } from "./readDataset";
import { stopOnSignals } from "./stopOnSignals";
import { UsageError } from "./usageError";

export interface GenerateCliOptions extends Omit<ModelCliOptions, "model"> {
  model?: string;
  count?: string;
  concurrency?: string;
  append?: boolean;
  json?: boolean;
  seed?: string;
  retries?: string;
  batchRequests?: string;
  batchResults?: string;
}

/** Every request is accounted for: the counts add up to the requests sent. */
export function outcomeSummary(outcome: GenerateOutcome): string {
  const parts = [`${outcome.accepted.length} accepted`, `${outcome.rejected.length} rejected`];
  if (outcome.surplus > 0) parts.push(`${outcome.surplus} not needed (arrived after the ${outcome.accepted.length} were accepted)`);
  if (outcome.failed > 0) parts.push(`${outcome.failed} failed`);
  return `${parts.join(", ")}: ${outcome.attempts} request${outcome.attempts === 1 ? "" : "s"}`;
}

function wholeNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new UsageError(`${flag} wants a whole number, not "${value}"`);
  return n;
}

export function checkGenerateFlags(file: string, options: GenerateCliOptions): void {
  if (options.batchRequests !== undefined && options.batchResults !== undefined)
    throw new UsageError("--batch-requests and --batch-results cannot be combined");
  if (options.batchResults === undefined && options.count === undefined)
    throw new UsageError("--count is required: how many entries to accept (with --batch-requests: how many requests to write)");
  if (options.batchResults === undefined && !options.model)
    throw new UsageError("--model is required: a .gguf file or a server URL (with --batch-requests: the model name the engine serves)");
  if (options.append && isStdin(file)) throw new UsageError("--append needs a file, not standard input");
  if (options.concurrency !== undefined && options.parallel !== undefined && options.concurrency !== options.parallel)
    throw new UsageError("--concurrency and --parallel are one setting; give one");
}

export async function generateCommand(file: string, options: GenerateCliOptions): Promise<number> {
  checkGenerateFlags(file, options);
  const seed = wholeNumber("--seed", options.seed);
  if (options.batchResults !== undefined)
    return readGenerateBatch(file, options.batchResults, { append: options.append === true, json: options.json === true });
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 1) throw new UsageError(`--count wants a positive whole number, not "${options.count}"`);
  if (options.batchRequests !== undefined) return writeGenerateBatch(file, options.batchRequests, { count, seed, model: options.model! });
  const retries = wholeNumber("--retries", options.retries) ?? defaultRetryPolicy.attempts - 1;
  if (retries < 0) throw new UsageError(`--retries wants a whole number from 0, not "${options.retries}"`);
  const concurrency = options.concurrency ?? options.parallel;
  if (concurrency !== undefined) positive("--concurrency", concurrency, 1);
  const seen = options.append ? seeFile(file) : undefined;
  const { dataset, array } = await loadDataset(file);
  const entries = seen && new AcceptedEntries(file, seen, array);
  const backend = cliBackend({ ...options, model: options.model!, parallel: concurrency });
  const controller = new AbortController();
  const restoreSignals = stopOnSignals("generate", controller, () => {});
  try {
    const outcome = await generateEntries(backend, dataset, {
      count,
      seed,
      temperature: selfInstructDefaults.temperature,
      topP: selfInstructDefaults.topP,
      policy: { ...defaultRetryPolicy, attempts: retries + 1 },
      signal: controller.signal,
      onRejected: (reason) => process.stderr.write(`rejected: ${escapeControls(reason)}\n`),
      onAccepted: (line) => {
        entries?.add(line);
        if (!options.json) process.stdout.write(`${line}\n`);
      },
    });
    if (options.json) process.stdout.write(`${JSON.stringify(outcome.accepted.map((line) => JSON.parse(line)))}\n`);
    if (outcome.error)
      process.stderr.write(
        `instruct-studio generate: stopped: ${escapeControls(outcome.error instanceof Error ? outcome.error.message : String(outcome.error))}\n`,
      );
    // A run stopped by an error (a timeout, a server gone) is not a success, whatever it accepted before.
    let status = outcome.error ? 2 : outcome.accepted.length === 0 || outcome.cancelled ? 1 : 0;
    if (entries && !entries.finishAndReport()) status = 2;
    process.stderr.write(`${outcome.cancelled ? "interrupted: " : ""}${outcomeSummary(outcome)}\n`);
    if (outcome.accepted.length < count && (outcome.cancelled || outcome.error) && entries)
      process.stderr.write(
        `to finish, run again with --count ${count - outcome.accepted.length} --append: the entries appended so far are examples and filter references for the rest\n`,
      );
    return status;
  } finally {
    restoreSignals();
    backend.dispose();
  }
}
