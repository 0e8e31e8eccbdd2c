import { detectRowFormat, formatLabels } from "../formats/detect";
import { Critique, critiquePrompt, critiqueSchema, parseCritique } from "../generation/critique";
import { isPlainObject, parseRow } from "../jsonl/parseRow";
import { GenerationRequest, ModelError, StopReason } from "../model/backend";
import { critiqueMaxTokens } from "../model/modelDefaults";
import { rowHash } from "./rowHash";

/** One row to judge: its 1-based line, its text, its content hash and its format's name for the prompt. */
export interface CritiqueTarget {
  line: number;
  text: string;
  hash: string;
  formatLabel: string;
}

export interface SkippedRow {
  line: number;
  reason: string;
}

/** Why a line is not an instruction row, or its format's name. */
export function critiqueFormat(text: string): { formatLabel: string } | { reason: string } {
  const parsed = parseRow(text);
  if (parsed.kind !== "value" || parsed.errors.length > 0) return { reason: "not valid JSON" };
  if (!isPlainObject(parsed.value)) return { reason: "not a JSON object" };
  const format = detectRowFormat(parsed.value);
  return format ? { formatLabel: formatLabels[format] } : { reason: "not an instruction row of a known format" };
}

export function critiqueTarget(line: number, text: string): CritiqueTarget | SkippedRow {
  const format = critiqueFormat(text);
  return "reason" in format ? { line, reason: format.reason } : { line, text, hash: rowHash(text), formatLabel: format.formatLabel };
}

/** The one critique request, online or in a batch file. */
export function critiqueRequest(text: string, formatLabel: string): GenerationRequest {
  return { messages: critiquePrompt(text, formatLabel), schema: critiqueSchema, maxTokens: critiqueMaxTokens, temperature: 0 };
}

/** A reply read as a critique: a cut-off or non-critique reply is an error, never a made-up score. */
export function critiqueFromReply(text: string, stopReason: StopReason): Critique {
  if (stopReason === "abort") throw new ModelError("Cancelled.", "cancelled");
  if (stopReason === "maxTokens") throw new ModelError(`The critique was cut off at ${critiqueMaxTokens} tokens.`, "output");
  return parseCritique(text);
}

/** One line of a results file, its keys in this order: scripts read it. */
export function critiqueResultLine(line: number, hash: string, critique: Critique): string {
  return JSON.stringify({ line, hash, score: critique.score, rationale: critique.rationale, issues: critique.issues });
}

/** The hashes a results file already has a score for; lines that are not results (a torn last line) are passed over. */
export function judgedHashes(lines: Iterable<string>): Set<string> {
  const hashes = new Set<string>();
  for (const line of lines) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as { hash?: unknown; score?: unknown };
      if (typeof value.hash === "string" && Number.isInteger(value.score)) hashes.add(value.hash);
    } catch {
      // not a complete result: the row is judged again
    }
  }
  return hashes;
}
