import { ModelBackend, ModelError } from "../model/backend";
import { Limiter } from "../model/limiter";
import { maxReplyBytes } from "../model/modelDefaults";
import { utf8Length } from "../validate/lineChecks";
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
  /** Requests sent: accepted + rejected + surplus + failed. */
  attempts: number;
  /** Valid replies that arrived after `count` entries were already accepted (requests run in parallel), not judged. */
  surplus: number;
  /** Requests that failed (the error that stopped the run, cancelled ones). */
  failed: number;
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
  const outcome: GenerateOutcome = { accepted: [], rejected: [], attempts: 0, surplus: 0, failed: 0, cancelled: false };
  const maxAttempts = options.maxAttempts ?? options.count * 3 + 2;
  const info = await backend.prepare();
  const limiter = new Limiter(Math.max(1, info.parallel));
  let writing = Promise.resolve();
  let fatal: unknown;

  const attempt = async (): Promise<void> => {
    const fromFile = sample(dataset.rows, selfInstructDefaults.examplesFromFile, random).map((r) => serializeLike(r.value, dataset.style));
    const generated = sample(outcome.accepted, selfInstructDefaults.examplesGenerated, random);
    const maxTokens = options.maxTokens ?? selfInstructDefaults.maxTokens;
    const result = await backend.generate(
      {
        messages: generationPrompt(dataset.format, [...fromFile, ...generated]),
        schema: dataset.schema,
        maxTokens,
        temperature: options.temperature ?? selfInstructDefaults.temperature,
        topP: options.topP ?? selfInstructDefaults.topP,
        seed: Math.floor(random() * 2 ** 31),
      },
      options.onText,
      options.signal,
    );
    if (outcome.accepted.length >= options.count) {
      outcome.surplus++;
      return;
    }
    // A backend that ignores maxTokens is stopped by the HTTP client; this bounds any other the same way.
    const bytes = utf8Length(result.text);
    const line = bytes > maxReplyBytes(maxTokens) ? undefined : serializedOrRaw(result.text, dataset.style);
    const verdict =
      line === undefined
        ? ({ accepted: false, reason: `${bytes.toLocaleString("en-US")} bytes, more than ${maxTokens.toLocaleString("en-US")} tokens can be` } as const)
        : judgeCandidate(line, result.stopReason, { format: dataset.format, layout: dataset.layout, roles: dataset.roles, validation: dataset.validation, seen });
    if (!verdict.accepted) {
      outcome.rejected.push({ reason: verdict.reason, text: line === undefined ? `${result.text.slice(0, 200)}…` : result.text });
      options.onRejected?.(verdict.reason, result.text);
      return;
    }
    seen.add(verdict.instruction);
    outcome.accepted.push(line!);
    writing = writing.then(() => options.onAccepted?.(line!));
    await writing;
  };

  const lane = async (): Promise<void> => {
    while (fatal === undefined && !options.signal?.aborted && outcome.accepted.length < options.count && outcome.attempts < maxAttempts) {
      outcome.attempts++;
      try {
        await limiter.run(attempt);
      } catch (error) {
        outcome.failed++;
        if (error instanceof ModelError && error.kind === "cancelled") break;
        fatal ??= error;
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

function serializedOrRaw(text: string, style: Parameters<typeof serializeLike>[1]): string {
  try {
    return serializeLike(JSON.parse(text), style);
  } catch {
    return text;
  }
}
