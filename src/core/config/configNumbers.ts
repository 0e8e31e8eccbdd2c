// The numbers of a training config that decide lengths and steps, each checked by itself: a
// hostile or mistyped value (`.inf`, 1e300, 0, -5, "abc") is reported naming its key and is not
// used, instead of printing a batch of infinity or being dropped in silence.
import type { Document } from "yaml";
import { isScalar, LineCounter } from "yaml";

/** A value the trainer would refuse or misread, at its place in the YAML. */
export interface ConfigProblem {
  key: string;
  message: string;
  /** 0-based line and column of the value, when the YAML has one. */
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

interface NumberRule {
  whole: boolean;
  min: number;
  /** Whether `min` itself is allowed. */
  minIncluded: boolean;
  max: number;
  what: string;
}

const whole = (min: number, max: number, what: string): NumberRule => ({ whole: true, min, minIncluded: true, max, what });

/** No model trains on more tokens a row than this; no run has a bigger batch. */
const maxTokens = 16 * 1024 * 1024;
const maxBatch = 1_000_000;

export const numberRules: Record<string, NumberRule> = {
  sequence_len: whole(1, maxTokens, "tokens per row"),
  cutoff_len: whole(1, maxTokens, "tokens per row"),
  max_length: whole(1, maxTokens, "tokens per row"),
  max_seq_length: whole(1, maxTokens, "tokens per row"),
  micro_batch_size: whole(1, maxBatch, "rows per GPU per step"),
  per_device_train_batch_size: whole(1, maxBatch, "rows per GPU per step"),
  gradient_accumulation_steps: whole(1, maxBatch, "micro-batches per optimizer step"),
  num_epochs: { whole: false, min: 0, minIncluded: false, max: 100_000, what: "passes over the data" },
  num_train_epochs: { whole: false, min: 0, minIncluded: false, max: 100_000, what: "passes over the data" },
  warmup_ratio: { whole: false, min: 0, minIncluded: true, max: 1, what: "the share of steps spent warming up" },
  warmup_steps: whole(0, 1e12, "steps"),
  min_sample_len: whole(0, maxTokens, "tokens"),
};

function describe(value: unknown): string {
  if (typeof value === "number") return Number.isNaN(value) ? ".nan" : value === Infinity ? ".inf" : value === -Infinity ? "-.inf" : String(value);
  return JSON.stringify(value) ?? String(value);
}

/** The number a value means (YAML numbers, and numeric strings as pydantic reads them), or why not. */
function checkNumber(value: unknown, rule: NumberRule): { value?: number; problem?: string } {
  const number = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  const range = `${rule.minIncluded ? "from" : "above"} ${rule.min.toLocaleString("en-US")} to ${rule.max.toLocaleString("en-US")}`;
  if (!Number.isFinite(number)) return { problem: `${describe(value)} is not a ${rule.whole ? "whole number" : "number"} (${rule.what}, ${range})` };
  if (rule.whole && !Number.isInteger(number)) return { problem: `${describe(value)} is not a whole number (${rule.what}, ${range})` };
  if (number < rule.min || (number === rule.min && !rule.minIncluded) || number > rule.max)
    return { problem: `${describe(value)} is out of range (${rule.what}, ${range})` };
  return { value: number };
}

/**
 * The root's numbers that `numberRules` names: the valid ones, and a problem for each other one
 * (placed on its value in the YAML). A key that is absent or null is left unset, not a problem.
 */
export function readConfigNumbers(
  root: Record<string, unknown>,
  document: Document,
  lines: LineCounter,
): { numbers: Record<string, number>; problems: ConfigProblem[] } {
  const numbers: Record<string, number> = {};
  const problems: ConfigProblem[] = [];
  for (const [key, rule] of Object.entries(numberRules)) {
    const value = root[key];
    if (value === undefined || value === null) continue;
    const checked = checkNumber(value, rule);
    if (checked.value !== undefined) numbers[key] = checked.value;
    else problems.push({ key, message: `${key}: ${checked.problem}; the trainer would refuse it, and it is not used here`, ...placeOf(document, key, lines) });
  }
  return { numbers, problems };
}

function placeOf(document: Document, key: string, lines: LineCounter): Pick<ConfigProblem, "line" | "column" | "endLine" | "endColumn"> {
  const node = document.get(key, true);
  const range = isScalar(node) ? node.range : undefined;
  if (!range) return {};
  const start = lines.linePos(range[0]);
  const end = lines.linePos(range[1]);
  return { line: start.line - 1, column: start.col - 1, endLine: end.line - 1, endColumn: end.col - 1 };
}
