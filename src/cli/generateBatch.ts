import { createReadStream, existsSync, writeFileSync } from "node:fs";
import { batchRequestLine, readBatchOutputLine } from "../core/batch/openaiBatch";
import { CandidateFilter, generationRequest } from "../core/generation/generateEntries";
import { seededRandom, selfInstructDefaults } from "../core/generation/selfInstruct";
import { readLines } from "../core/jsonl/lineReader";
import { AcceptedEntries, seeFile } from "./appendRows";
import { loadDataset } from "./generationDataset";
import { escapeControls } from "./output";
import { UsageError } from "./usageError";

/**
 * `generate --batch-requests`: `count` Self-Instruct requests as OpenAI Batch API lines, each
 * with its own sample of the file's rows as examples (a batch has no earlier accepted entries to
 * show). Replies are filtered when read back, so ask for more than you need.
 */
export async function writeGenerateBatch(file: string, requestsPath: string, options: { count: number; seed?: number; model: string }): Promise<number> {
  const { dataset } = await loadDataset(file);
  const random = seededRandom(options.seed ?? Date.now());
  const lines = Array.from({ length: options.count }, (_, i) =>
    batchRequestLine(`generate-${i + 1}`, generationRequest(dataset, random, [], { maxTokens: selfInstructDefaults.maxTokens }), options.model),
  );
  try {
    writeFileSync(requestsPath, `${lines.join("\n")}\n`);
  } catch (error) {
    throw new UsageError(`--batch-requests: cannot write ${requestsPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  process.stderr.write(`${lines.length.toLocaleString("en-US")} generation requests written to ${requestsPath}\n`);
  return 0;
}

/**
 * `generate --batch-results`: a batch job's replies through the same filters as an online run
 * (the format, the validation rules, ROUGE-L against the file and each other), the accepted ones
 * printed and, with `--append`, added to the file. Exit 1 when none is accepted.
 */
export async function readGenerateBatch(file: string, resultsPath: string, options: { append: boolean; json: boolean }): Promise<number> {
  if (!existsSync(resultsPath)) throw new UsageError(`--batch-results: no such file ${resultsPath}`);
  const seen = options.append ? seeFile(file) : undefined;
  const { dataset, array } = await loadDataset(file);
  const filter = new CandidateFilter(dataset);
  const entries = seen && new AcceptedEntries(file, seen, array);
  const accepted: string[] = [];
  let rejected = 0;
  let failed = 0;
  for await (const line of readLines(createReadStream(resultsPath), { maxLineBytes: 64 * 1024 * 1024 })) {
    if (!line.text.trim()) continue;
    const outcome = readBatchOutputLine(line.text);
    if ("invalid" in outcome) throw new UsageError(`${resultsPath}:${line.lineNumber}: not a batch output line (${outcome.invalid})`);
    if ("error" in outcome) {
      failed++;
      process.stderr.write(`${outcome.customId}: failed: ${escapeControls(outcome.error)}\n`);
      continue;
    }
    const verdict = filter.judge(outcome.text, outcome.stopReason, selfInstructDefaults.maxTokens);
    if (!verdict.accepted) {
      rejected++;
      process.stderr.write(`rejected: ${escapeControls(verdict.reason)}\n`);
      continue;
    }
    accepted.push(verdict.line);
    entries?.add(verdict.line);
    if (!options.json) process.stdout.write(`${verdict.line}\n`);
  }
  if (options.json) process.stdout.write(`${JSON.stringify(accepted.map((line) => JSON.parse(line)))}\n`);
  let status = accepted.length === 0 ? 1 : 0;
  if (entries && !entries.finishAndReport()) status = 2;
  process.stderr.write(
    `${accepted.length} accepted, ${rejected} rejected${failed ? `, ${failed} failed` : ""}: ${accepted.length + rejected + failed} replies in ${resultsPath}\n`,
  );
  return status;
}
