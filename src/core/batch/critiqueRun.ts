import type { Critique } from "../generation/critique";
import { ModelBackend, ModelError } from "../model/backend";
import { critiqueFromReply, critiqueRequest, CritiqueTarget } from "./critiqueRows";
import { defaultRetryPolicy, RetryPolicy, withRetries } from "../model/retryPolicy";

export interface CritiqueRunOptions {
  /** Requests in flight at once. */
  concurrency: number;
  policy?: RetryPolicy;
  signal?: AbortSignal;
  /** Every row with this content, judged once. Called as each result arrives. */
  onResult(rows: CritiqueTarget[], critique: Critique): void;
  /** Every row with this content, failed for good (after the retries). */
  onFailed(rows: CritiqueTarget[], error: unknown): void;
  onRetry?(rows: CritiqueTarget[], error: unknown, attempt: number, delayMs: number): void;
}

export interface CritiqueRunOutcome {
  judged: number;
  failed: number;
  cancelled: boolean;
}

/** Rows grouped by content: rows with the same text are judged once and all get the result. */
export function groupByHash(targets: CritiqueTarget[]): CritiqueTarget[][] {
  const groups = new Map<string, CritiqueTarget[]>();
  for (const target of targets) {
    const group = groups.get(target.hash);
    if (group) group.push(target);
    else groups.set(target.hash, [target]);
  }
  return [...groups.values()];
}

/**
 * Judges rows with up to `concurrency` requests in flight: lanes that each take the next row,
 * so 100,000 rows cost no more memory than the lanes. A failed request is retried with backoff
 * (the server's Retry-After honoured); a row that still fails is reported and the run goes on.
 * Cancelling stops new requests and abandons those in flight: nothing half-judged is reported.
 */
export async function critiqueRows(backend: ModelBackend, targets: CritiqueTarget[], options: CritiqueRunOptions): Promise<CritiqueRunOutcome> {
  const groups = groupByHash(targets);
  const outcome: CritiqueRunOutcome = { judged: 0, failed: 0, cancelled: false };
  let next = 0;
  const lane = async () => {
    while (next < groups.length && !options.signal?.aborted) {
      const rows = groups[next++];
      const { text, formatLabel } = rows[0];
      try {
        const critique = await withRetries(
          async () => {
            const result = await backend.generate(critiqueRequest(text, formatLabel), undefined, options.signal);
            return critiqueFromReply(result.text, result.stopReason);
          },
          options.policy ?? defaultRetryPolicy,
          options.signal,
          (error, attempt, delayMs) => options.onRetry?.(rows, error, attempt, delayMs),
        );
        if (options.signal?.aborted) break;
        outcome.judged += rows.length;
        options.onResult(rows, critique);
      } catch (error) {
        if (options.signal?.aborted || (error instanceof ModelError && error.kind === "cancelled")) break;
        outcome.failed += rows.length;
        options.onFailed(rows, error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, groups.length)) }, lane));
  outcome.cancelled = options.signal?.aborted === true;
  return outcome;
}
