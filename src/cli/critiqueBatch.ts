import { createReadStream, existsSync, writeFileSync } from "node:fs";
import { critiqueFromReply, critiqueRequest, critiqueResultLine, CritiqueTarget } from "../core/batch/critiqueRows";
import { groupByHash } from "../core/batch/critiqueRun";
import { batchRequestLine, readBatchOutputLine } from "../core/batch/openaiBatch";
import { readLines } from "../core/jsonl/lineReader";
import { critiqueTargets, LineRange } from "./critiqueTargets";
import { escapeControls, write } from "./output";
import { ResultsFile } from "./resultsFile";
import { UsageError } from "./usageError";

/**
 * `--batch-requests`: one OpenAI Batch API line per distinct row (its hash is the custom_id),
 * calling no model. With `--out`, rows that already have a result there are left out.
 */
export async function writeCritiqueBatch(file: string, range: LineRange, requestsPath: string, model: string, out: string | undefined): Promise<number> {
  const { targets, skipped } = await critiqueTargets(file, range);
  const judged = out ? ResultsFile.open(out) : undefined;
  const todo = groupByHash(targets.filter((t) => !judged?.judged.has(t.hash)));
  judged?.close();
  for (const row of skipped) process.stderr.write(`${file}:${row.line}: ${row.reason}; not critiqued\n`);
  const lines = todo.map((rows) => batchRequestLine(rows[0].hash, critiqueRequest(rows[0].text, rows[0].formatLabel), model));
  try {
    writeFileSync(requestsPath, lines.length ? `${lines.join("\n")}\n` : "");
  } catch (error) {
    throw new UsageError(`--batch-requests: cannot write ${requestsPath} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  const rows = todo.reduce((n, group) => n + group.length, 0);
  process.stderr.write(
    `${lines.length.toLocaleString("en-US")} requests for ${rows.toLocaleString("en-US")} rows written to ${requestsPath}${targets.length > rows ? ` (${(targets.length - rows).toLocaleString("en-US")} rows already have a result in ${out})` : ""}\n`,
  );
  return 0;
}

/**
 * `--batch-results`: the engine's output lines read back through the same parser and checks as
 * an online run, written as the same results (to `--out`, else standard output).
 */
export async function readCritiqueBatch(file: string, range: LineRange, resultsPath: string, out: string | undefined): Promise<number> {
  const { targets, skipped } = await critiqueTargets(file, range);
  const sink = out ? ResultsFile.open(out) : undefined;
  try {
    const pending = new Map<string, CritiqueTarget[]>(groupByHash(targets.filter((t) => !sink?.judged.has(t.hash))).map((rows) => [rows[0].hash, rows]));
    const alreadyJudged = targets.length - [...pending.values()].reduce((n, rows) => n + rows.length, 0);
    const failed: Array<{ rows: CritiqueTarget[]; reason: string }> = [];
    let judged = 0;
    let unknown = 0;
    if (!existsSync(resultsPath)) throw new UsageError(`--batch-results: no such file ${resultsPath}`);
    for await (const line of readLines(createReadStream(resultsPath), { maxLineBytes: 64 * 1024 * 1024 })) {
      if (!line.text.trim()) continue;
      const outcome = readBatchOutputLine(line.text);
      if ("invalid" in outcome) throw new UsageError(`${resultsPath}:${line.lineNumber}: not a batch output line (${outcome.invalid})`);
      const rows = pending.get(outcome.customId);
      if (!rows) {
        unknown++;
        continue;
      }
      pending.delete(outcome.customId);
      let result: string[];
      try {
        if ("error" in outcome) throw new Error(outcome.error);
        const critique = critiqueFromReply(outcome.text, outcome.stopReason);
        result = rows.map((row) => critiqueResultLine(row.line, row.hash, critique));
      } catch (error) {
        failed.push({ rows, reason: (error as Error).message });
        continue;
      }
      judged += rows.length;
      for (const text of result) {
        if (sink) sink.append(text);
        else await write(`${text}\n`);
      }
    }
    for (const row of skipped) process.stderr.write(`${file}:${row.line}: ${row.reason}; not critiqued\n`);
    for (const { rows, reason } of failed) for (const row of rows) process.stderr.write(`${file}:${row.line}: failed: ${escapeControls(reason)}\n`);
    const missing = [...pending.values()].flat();
    for (const row of missing.slice(0, 20)) process.stderr.write(`${file}:${row.line}: no result in ${resultsPath}\n`);
    if (missing.length > 20) process.stderr.write(`… and ${(missing.length - 20).toLocaleString("en-US")} more rows with no result\n`);
    const failedRows = failed.reduce((n, f) => n + f.rows.length, 0);
    process.stderr.write(
      `${judged.toLocaleString("en-US")} critiqued from ${resultsPath}` +
        (alreadyJudged ? `, ${alreadyJudged.toLocaleString("en-US")} already had a result` : "") +
        (failedRows ? `, ${failedRows.toLocaleString("en-US")} failed` : "") +
        (missing.length ? `, ${missing.length.toLocaleString("en-US")} with no result` : "") +
        (unknown ? `; ${unknown.toLocaleString("en-US")} output lines match no row of ${file} (edited since, or another file's)` : "") +
        "\n",
    );
    return failedRows > 0 || missing.length > 0 || skipped.length > 0 ? 1 : 0;
  } finally {
    sink?.close();
  }
}
