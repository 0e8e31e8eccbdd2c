// A worker thread that owns the DocumentValidator of every open dataset (see
// protocol/documentValidation.ts). Running out of memory or throwing here ends this thread only;
// the host restarts it and reopens its documents.
import { parentPort } from "node:worker_threads";
import { readArrayElementBatches, singleChunk } from "../core/jsonArray/arrayElements";
import { validateArrayItems } from "../core/jsonArray/validateArray";
import type { Diagnostic } from "../core/lint/diagnostic";
import { fixLines } from "../core/lint/fixLines";
import { DocumentValidator } from "../core/validate/documentValidator";
import { maxRowBytes } from "../core/validate/lineChecks";
import type { DocumentNotice, DocumentQuery, LinesResult, QueryResults, WorkerReply, WorkerRequest } from "../protocol/documentValidation";

interface Held {
  generation: number;
  validator: DocumentValidator;
}

const documents = new Map<string, Held>();
const post = (reply: WorkerReply) => parentPort?.postMessage(reply);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

function lineTexts(validator: DocumentValidator, lines: Iterable<number>): Record<number, string | undefined> {
  const texts: Record<number, string | undefined> = {};
  for (const line of lines) texts[line] = validator.lineText(line);
  return texts;
}

function current(key: string, generation: number): DocumentValidator | undefined {
  const held = documents.get(key);
  return held?.generation === generation ? held.validator : undefined;
}

function handleNotice(notice: DocumentNotice): void {
  if (notice.type === "close") {
    documents.delete(notice.key);
    return;
  }
  if (notice.type === "open") {
    const started = performance.now();
    const validator = new DocumentValidator(notice.options);
    documents.set(notice.key, { generation: notice.generation, validator });
    try {
      validator.setText(notice.text);
    } catch (error) {
      documents.delete(notice.key);
      post({ type: "failed", key: notice.key, generation: notice.generation, message: message(error) });
      return;
    }
    post({
      type: "opened",
      key: notice.key,
      generation: notice.generation,
      lines: validator.lineCount,
      ms: performance.now() - started,
      format: validator.format,
    });
    return;
  }
  const validator = current(notice.key, notice.generation);
  if (!validator) return;
  try {
    if (notice.type === "options") validator.setOptions(notice.options);
    else if (notice.type === "fileFindings") validator.setFileFindings(notice.findings);
    else {
      for (const c of notice.changes) validator.applyEdit(c.startLine, c.startColumn, c.endLine, c.endColumn, c.text);
      const problem =
        validator.lineCount !== notice.lineCount
          ? `${validator.lineCount} lines held, ${notice.lineCount} in the document`
          : notice.expected.find((e) => validator.lineText(e.line) !== e.text);
      if (problem) drift(notice.key, notice.generation, typeof problem === "string" ? problem : `line ${problem.line + 1} differs from the document`);
    }
  } catch (error) {
    drift(notice.key, notice.generation, message(error));
  }
}

/** The copy is no longer the document's: it is dropped until the host reopens it. */
function drift(key: string, generation: number, problem: string): void {
  documents.delete(key);
  post({ type: "drift", key, generation, problem });
}

function answer(query: Exclude<DocumentQuery, { type: "array" }>): unknown {
  const validator = documents.get(query.key)?.validator;
  if (!validator) return undefined;
  switch (query.type) {
    case "published":
      return { diagnostics: validator.diagnostics(query.limit), summary: validator.summary() } satisfies QueryResults["published"];
    case "all":
      return { diagnostics: validator.diagnostics(), summary: validator.summary() } satisfies QueryResults["all"];
    case "lines": {
      const diagnostics = query.lines.flatMap((line) => validator.diagnosticsAt(line));
      const fixableCounts: Record<string, number> = {};
      for (const d of diagnostics) if (d.fix) fixableCounts[d.rule] = validator.fixableCount(d.rule);
      const nearDuplicates: LinesResult["nearDuplicates"] = {};
      for (const line of query.lines) {
        const membership = validator.nearDuplicateAt(line);
        if (membership) nearDuplicates[line] = membership;
      }
      return { diagnostics, nearDuplicates, fixableCounts, lineTexts: lineTexts(validator, fixLines(diagnostics)) } satisfies QueryResults["lines"];
    }
    case "fixable": {
      const diagnostics = validator.fixable(query.rule);
      return { diagnostics, lineTexts: lineTexts(validator, fixLines(diagnostics)) } satisfies QueryResults["fixable"];
    }
    case "lineText":
      return validator.lineText(query.line);
    case "loseEdit":
      validator.applyEdit(query.line, query.start, query.line, query.end, "");
      return true;
  }
}

async function validateArray({ text, options, skipPlainSyntax }: Extract<DocumentQuery, { type: "array" }>): Promise<QueryResults["array"]> {
  const findings: Diagnostic[] = [];
  let isDataset = true;
  const batches = readArrayElementBatches(singleChunk(new TextEncoder().encode(text)), { maxElementBytes: maxRowBytes });
  for await (const finding of validateArrayItems(batches, options, (sample) => (isDataset = sample.format !== undefined))) {
    if (!isDataset) break;
    // VS Code's JSON language reports syntax errors in .json files itself; saying them twice is noise.
    if (finding.rule === "syntax" && skipPlainSyntax && !finding.fix) continue;
    findings.push(finding);
  }
  return isDataset ? { findings } : {};
}

parentPort?.on("message", (request: WorkerRequest) => {
  if (request.type !== "query") return handleNotice(request);
  const { id, query } = request;
  const fail = (error: unknown) => post({ type: "reply", id, error: message(error) });
  // Document queries are answered at once, so in message order; only an array's validation awaits.
  if (query.type === "array") return void validateArray(query).then((result) => post({ type: "reply", id, result }), fail);
  try {
    post({ type: "reply", id, result: answer(query) });
  } catch (error) {
    fail(error);
  }
});
