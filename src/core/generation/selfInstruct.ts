import { detectRowFormat, formatLabels } from "../formats/detect";
import type { FormatId } from "../formats/formatLabels";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import type { ChatTurn, StopReason } from "../model/backend";
import { analyzeRow, ValidationOptions } from "../validate/analyzeRow";
import { isPlainObject, parseRow } from "../jsonl/parseRow";
import { instructionAndAnswer } from "./promptSide";
import { RougeIndex, rougeTokens } from "./rougeL";

/** Self-Instruct's settings (bootstrap_instructions.py): 8 examples, 6 human and 2 generated. */
export const selfInstructDefaults = { examplesFromFile: 6, examplesGenerated: 2, temperature: 0.7, topP: 0.5, maxTokens: 1024, rougeThreshold: 0.7 };

/** Self-Instruct's blacklist plus Alpaca's (prompt.txt): tasks a text-only model cannot do. */
export const blacklist = [
  "image",
  "images",
  "graph",
  "graphs",
  "picture",
  "pictures",
  "file",
  "files",
  "map",
  "maps",
  "draw",
  "plot",
  "go to",
  "video",
  "audio",
  "music",
  "flowchart",
  "diagram",
];
const blacklistPattern = new RegExp(`\\b(${blacklist.map((w) => w.replace(" ", "\\s+")).join("|")})\\b`, "i");

/** A small seeded PRNG (mulberry32): the same seed picks the same examples, for tests and reruns. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sample<T>(items: readonly T[], count: number, random: () => number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(Math.floor(random() * pool.length), 1)[0]);
  return picked;
}

/** The chat prompt asking for one new entry like the examples (Self-Instruct with Alpaca's rules). */
export function generationPrompt(format: FormatId, examples: readonly string[]): ChatTurn[] {
  const label = formatLabels[format];
  return [
    {
      role: "system",
      content: `You write new entries for an instruction-tuning dataset in the ${label} format. You answer with one JSON object and nothing else.`,
    },
    {
      role: "user",
      content:
        `Here are entries from the dataset, one JSON object per line:\n\n${examples.join("\n")}\n\n` +
        "Write one new entry in exactly the same JSON format. Requirements:\n" +
        "1. The task is new: different from every example, without reusing their verbs or topics.\n" +
        "2. A text-only model can do it: no images, audio, video, files, maps, drawing or plotting, no browsing or going anywhere.\n" +
        "3. The instruction is 1 to 2 sentences; an input, when the format has one, is at most 100 words or empty.\n" +
        "4. The response is correct and complete, at most 150 words unless the task needs more.\n" +
        "5. Write in the language of the examples.",
    },
  ];
}

export interface CandidateContext {
  format: FormatId;
  layout?: ChatLayout;
  roles?: RoleAliases;
  validation: ValidationOptions;
  /** Instructions already in the file and accepted in this run. */
  seen: RougeIndex;
  rougeThreshold?: number;
}

export type Verdict = { accepted: true; row: Record<string, unknown>; instruction: string } | { accepted: false; reason: string };

const wordCount = (text: string) => rougeTokens(text).length;

/**
 * Self-Instruct's filters on one generated entry, plus this project's validation rules: a row
 * the editor would flag is never written. `line` is the entry serialized as it would be appended.
 */
export function judgeCandidate(line: string, stopReason: StopReason, context: CandidateContext): Verdict {
  if (stopReason === "maxTokens") return { accepted: false, reason: "cut off at the token limit" };
  if (stopReason === "abort") return { accepted: false, reason: "cancelled" };
  const parsed = parseRow(line);
  if (parsed.kind !== "value" || parsed.errors.length > 0 || !isPlainObject(parsed.value)) return { accepted: false, reason: "not a JSON object" };
  const row = parsed.value;
  const format = detectRowFormat(row, context.layout);
  if (format !== context.format)
    return { accepted: false, reason: `not ${formatLabels[context.format]} (read as ${format ? formatLabels[format] : "unknown"})` };
  const { instruction, input, answer } = instructionAndAnswer(row, context.format, context.layout, context.roles);
  const words = wordCount(instruction);
  if (words <= 3) return { accepted: false, reason: `instruction too short (${words} words)` };
  if (words > 150) return { accepted: false, reason: `instruction too long (${words} words)` };
  const banned = blacklistPattern.exec(instruction);
  if (banned) return { accepted: false, reason: `asks for "${banned[1].toLowerCase()}", which a text-only model cannot do` };
  if (/^\s*write a program/i.test(instruction)) return { accepted: false, reason: 'starts with "Write a program"' };
  if (/^[\p{P}\p{S}]/u.test(instruction.trim())) return { accepted: false, reason: "starts with punctuation" };
  if (!answer.trim()) return { accepted: false, reason: "empty response" };
  if (input.trim() && input.trim() === answer.trim()) return { accepted: false, reason: "the response repeats the input" };
  const similar = context.seen.mostSimilarAbove(instruction, context.rougeThreshold ?? selfInstructDefaults.rougeThreshold);
  if (similar)
    return { accepted: false, reason: `too similar to an existing instruction (ROUGE-L ${similar.score.toFixed(2)}): "${similar.text.slice(0, 80)}"` };
  const analysis = analyzeRow(line, 0, context.format, context.validation);
  const problem = analysis.diagnostics.find((d) => d.severity === "error" || d.severity === "warning");
  if (problem) return { accepted: false, reason: `${problem.rule}: ${problem.message}` };
  return { accepted: true, row, instruction };
}
