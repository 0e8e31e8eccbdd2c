import { ModelBackend, ModelError } from "../model/backend";
import { Limiter } from "../model/limiter";
import type { DatasetContext } from "./datasetContext";
import { instructionAndAnswer } from "./promptSide";
import { RougeIndex } from "./rougeL";
import { generationPrompt, judgeCandidate, sample, seededRandom, selfInstructDefaults } from "./selfInstruct";
import { serializeLike } from "./serializeLike";

export interface GenerateOptions {
  count: number;
  seed?: number;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  /** Stop after this many candidates even if fewer were accepted (default 3 × count + 2). */
  maxAttempts?: number;
  signal?: AbortSignal;
  /** Called once per accepted entry, in order; awaited before the next (writes stay ordered). */
  onAccepted?: (line: string) => Promise<void> | void;
  onRejected?: (reason: string, text: string) => void;
  onText?: (chunk: string) => void;
  onProgress?: (accepted: number, attempts: number) => void;
}

export interface GenerateOutcome {
  accepted: string[];
  rejected: Array<{ reason: string; text: string }>;
  attempts: number;
  cancelled: boolean;
  /** The failure that stopped the run; entries accepted before it were already delivered. */
  error?: unknown;
}

/**
 * Self-Instruct's loop over one file: each request shows 6 entries from the file and up to 2
 * accepted earlier in the run, asks for one new entry under the format's JSON-schema grammar,
 * and keeps it only if it passes the filters and the validation rules. Requests run as many at
 * once as the backend has sequences.
 */
export async function generateEntries(backend: ModelBackend, dataset: DatasetContext, options: GenerateOptions): Promise<GenerateOutcome> {
  const random = seededRandom(options.seed ?? Date.now());
  const seen = new RougeIndex();
  for (const row of dataset.rows) seen.add(instructionAndAnswer(row.value, dataset.format, dataset.layout, dataset.roles).instruction);
  const outcome: GenerateOutcome = { accepted: [], rejected: [], attempts: 0, cancelled: false };
  const maxAttempts = options.maxAttempts ?? options.count * 3 + 2;
  const info = await backend.prepare();
  const limiter = new Limiter(Math.max(1, info.parallel));
  let writing = Promise.resolve();
  let fatal: unknown;

  const attempt = async (): Promise<void> => {
    const fromFile = sample(dataset.rows, selfInstructDefaults.examplesFromFile, random).map((r) => serializeLike(r.value, dataset.style));
    const generated = sample(outcome.accepted, selfInstructDefaults.examplesGenerated, random);
    const result = await backend.generate(
      {
        messages: generationPrompt(dataset.format, [...fromFile, ...generated]),
        schema: dataset.schema,
        maxTokens: options.maxTokens ?? selfInstructDefaults.maxTokens,
        temperature: options.temperature ?? selfInstructDefaults.temperature,
        topP: options.topP ?? selfInstructDefaults.topP,
        seed: Math.floor(random() * 2 ** 31),
      },
      options.onText,
      options.signal,
    );
    let line: string;
    try {
      line = serializeLike(JSON.parse(result.text), dataset.style);
    } catch {
      line = result.text;
    }
    if (outcome.accepted.length >= options.count) return;
    const verdict = judgeCandidate(line, result.stopReason, { format: dataset.format, layout: dataset.layout, roles: dataset.roles, validation: dataset.validation, seen });
    if (!verdict.accepted) {
      outcome.rejected.push({ reason: verdict.reason, text: result.text });
      options.onRejected?.(verdict.reason, result.text);
      return;
    }
    seen.add(verdict.instruction);
    outcome.accepted.push(line);
    writing = writing.then(() => options.onAccepted?.(line));
    await writing;
  };

  const lane = async (): Promise<void> => {
    while (fatal === undefined && !options.signal?.aborted && outcome.accepted.length < options.count && outcome.attempts < maxAttempts) {
      outcome.attempts++;
      try {
        await limiter.run(attempt);
      } catch (error) {
        if (error instanceof ModelError && error.kind === "cancelled") break;
        fatal = error;
      }
      options.onProgress?.(outcome.accepted.length, outcome.attempts);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(info.parallel, options.count)) }, lane));
  await writing;
  outcome.cancelled = options.signal?.aborted === true;
  if (fatal !== undefined && !outcome.cancelled) outcome.error = fatal;
  return outcome;
}
