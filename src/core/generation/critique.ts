import { ModelError, type ChatTurn, type JsonSchema } from "../model/backend";

/** UltraFeedback's aspects, each rated 1 (low) to 5 (excellent). */
export const critiqueAspects = ["helpfulness", "honesty", "instruction_following", "truthfulness"] as const;
export type CritiqueAspect = (typeof critiqueAspects)[number];

export interface CritiqueIssue {
  field: string;
  problem: string;
  suggestion: string;
}

export interface Critique {
  score: number;
  rationale: string;
  issues: CritiqueIssue[];
  aspects: Record<CritiqueAspect, number>;
}

const rating = { enum: [1, 2, 3, 4, 5] };
const bounded = (maxLength: number) => ({ type: "string", maxLength });

/** The rationale comes before the scores: a grammar emits properties in order, so the model reasons first. */
export const critiqueSchema: JsonSchema = {
  type: "object",
  properties: {
    rationale: { type: "string", minLength: 1, maxLength: 1200 },
    issues: {
      type: "array",
      maxItems: 5,
      items: { type: "object", properties: { field: bounded(60), problem: bounded(300), suggestion: bounded(300) }, additionalProperties: false },
    },
    aspects: { type: "object", properties: Object.fromEntries(critiqueAspects.map((a) => [a, rating])), additionalProperties: false },
    score: rating,
  },
  additionalProperties: false,
};

// Prometheus-style rubric: the criteria, then what each score means.
const rubric = `[Is this a high-quality training example: does the response follow the instruction, is it correct, honest, complete and well written?]
Score 1: The response ignores or contradicts the instruction, or is wrong or harmful.
Score 2: The response addresses the instruction but has major errors or omissions.
Score 3: The response is acceptable with noticeable problems (errors, vagueness, poor formatting).
Score 4: The response is good with minor problems.
Score 5: The response is excellent: correct, complete, honest and clearly written.`;

export function critiquePrompt(entryJson: string, formatLabel: string): ChatTurn[] {
  return [
    { role: "system", content: "You are a strict reviewer of instruction-tuning data. You answer with one JSON object and nothing else." },
    {
      role: "user",
      content:
        `###Task: Judge one ${formatLabel} entry of a fine-tuning dataset by the rubric. Write the rationale first, ` +
        "then up to 5 concrete issues (the JSON field, the problem, a suggested change), then rate helpfulness, honesty, " +
        "instruction_following and truthfulness from 1 to 5, then the overall score from 1 to 5.\n\n" +
        `###Entry (JSON):\n${entryJson}\n\n###Score rubric:\n${rubric}`,
    },
  ];
}

const isRating = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 5;
const str = (v: unknown) => (typeof v === "string" ? v : "");

/** Reads the model's reply; a reply that is not a critique is an error, never a made-up score. */
export function parseCritique(text: string): Critique {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ModelError(`The model's critique is not JSON: ${text.slice(0, 120)}`, "output");
  }
  const v = value as Record<string, unknown>;
  if (typeof v !== "object" || v === null || !isRating(v.score)) throw new ModelError("The model's critique has no score from 1 to 5.", "output");
  const aspectsIn = (typeof v.aspects === "object" && v.aspects !== null ? v.aspects : {}) as Record<string, unknown>;
  const aspects = Object.fromEntries(critiqueAspects.map((a) => [a, isRating(aspectsIn[a]) ? aspectsIn[a] : v.score])) as Record<CritiqueAspect, number>;
  const issues = (Array.isArray(v.issues) ? v.issues : [])
    .filter((i): i is Record<string, unknown> => typeof i === "object" && i !== null)
    .map((i) => ({ field: str(i.field), problem: str(i.problem), suggestion: str(i.suggestion) }))
    .filter((i) => i.problem || i.suggestion);
  return { score: v.score, rationale: str(v.rationale).trim(), issues, aspects };
}
