import { GenerationRequest, ModelBackend, ModelError, StopReason } from "../model/backend";
import { Limiter } from "../model/limiter";
import { noRetries, RetryPolicy, withRetries } from "../model/retryPolicy";
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
  /** Failed requests are tried again this way (default: not at all). */
  policy?: RetryPolicy;
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
  const filter = new CandidateFilter(dataset);
  const outcome: GenerateOutcome = { accepted: [], rejected: [], attempts: 0, surplus: 0, failed: 0, cancelled: false };
  const maxAttempts = options.maxAttempts ?? options.count * 3 + 2;
  const info = await backend.prepare();
  const limiter = new Limiter(Math.max(1, info.parallel));
  let writing = Promise.resolve();
  let fatal: unknown;

  const attempt = async (): Promise<void> => {
    const maxTokens = options.maxTokens ?? selfInstructDefaults.maxTokens;
    const request = generationRequest(dataset, random, outcome.accepted, { ...options, maxTokens });
    const result = await withRetries(() => backend.generate(request, options.onText, options.signal), options.policy ?? noRetries, options.signal);
    if (outcome.accepted.length >= options.count) {
      outcome.surplus++;
      return;
    }
    const verdict = filter.judge(result.text, result.stopReason, maxTokens);
    if (!verdict.accepted) {
      outcome.rejected.push({ reason: verdict.reason, text: verdict.text });
      options.onRejected?.(verdict.reason, result.text);
      return;
    }
    const line = verdict.line;
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

/**
 * One Self-Instruct request: 6 entries from the file and up to 2 accepted earlier in the run as
 * examples, one new entry asked for under the format's JSON-schema grammar.
 */
export function generationRequest(
  dataset: DatasetContext,
  random: () => number,
  accepted: string[],
  options: { temperature?: number; topP?: number; maxTokens: number },
): GenerationRequest {
  const fromFile = sample(dataset.rows, selfInstructDefaults.examplesFromFile, random).map((r) => serializeLike(r.value, dataset.style));
  const generated = sample(accepted, selfInstructDefaults.examplesGenerated, random);
  return {
    messages: generationPrompt(dataset.format, [...fromFile, ...generated]),
    schema: dataset.schema,
    maxTokens: options.maxTokens,
    temperature: options.temperature ?? selfInstructDefaults.temperature,
    topP: options.topP ?? selfInstructDefaults.topP,
    seed: Math.floor(random() * 2 ** 31),
  };
}

export type CandidateVerdict = { accepted: true; line: string } | { accepted: false; reason: string; text: string };

/**
 * Self-Instruct's filters over the replies of one run, online or read back from a batch job: a
 * reply must be an entry of the file's format that passes the validation rules and is not too
 * like any row of the file or any entry accepted before it (ROUGE-L).
 */
export class CandidateFilter {
  private readonly seen = new RougeIndex();

  constructor(private readonly dataset: DatasetContext) {
    for (const row of dataset.rows) this.seen.add(instructionAndAnswer(row.value, dataset.format, dataset.layout, dataset.roles).instruction);
  }

  judge(text: string, stopReason: StopReason, maxTokens: number): CandidateVerdict {
    const dataset = this.dataset;
    // A backend that ignores maxTokens is stopped by the HTTP client; this bounds any other the same way.
    const bytes = utf8Length(text);
    if (bytes > maxReplyBytes(maxTokens))
      return {
        accepted: false,
        reason: `${bytes.toLocaleString("en-US")} bytes, more than ${maxTokens.toLocaleString("en-US")} tokens can be`,
        text: `${text.slice(0, 200)}…`,
      };
    const line = serializedOrRaw(text, dataset.style);
    const verdict = judgeCandidate(line, stopReason, {
      format: dataset.format,
      layout: dataset.layout,
      roles: dataset.roles,
      validation: dataset.validation,
      seen: this.seen,
    });
    if (!verdict.accepted) return { accepted: false, reason: verdict.reason, text };
    this.seen.add(verdict.instruction);
    return { accepted: true, line };
  }
}

function serializedOrRaw(text: string, style: Parameters<typeof serializeLike>[1]): string {
  try {
    return serializeLike(JSON.parse(text), style);
  } catch {
    return text;
  }
}
