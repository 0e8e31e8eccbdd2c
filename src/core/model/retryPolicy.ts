import { ModelError } from "./backend";

export interface RetryPolicy {
  /** Tries per request in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRetryPolicy: RetryPolicy = { attempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };
export const noRetries: RetryPolicy = { ...defaultRetryPolicy, attempts: 1 };

/** A server's Retry-After is honoured up to this long; a longer one is taken as this. */
export const maxRetryAfterMs = 10 * 60_000;

// 408 Request Timeout, 409 Conflict, 425 Too Early and 429 Too Many Requests are worth another
// try, as every 5xx is; any other 4xx (a bad request, a missing model) fails the same way again.
const retryableStatus = (status: number) => status >= 500 || status === 408 || status === 409 || status === 425 || status === 429;

/** Whether the same request may succeed if sent again: a busy, failing or unreachable server, a hung stream, a crashed worker. */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ModelError)) return false;
  if (error.kind === "hung" || error.kind === "crashed") return true;
  if (error.kind !== "server") return false;
  return error.status === undefined || retryableStatus(error.status);
}

/** Exponential backoff with full jitter (AWS's scheme), or the server's own Retry-After when it sent one. */
export function retryDelayMs(error: unknown, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const asked = error instanceof ModelError ? error.retryAfterMs : undefined;
  if (asked !== undefined) return Math.min(asked, maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Retry-After as RFC 9110 writes it: seconds, or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Sleeps, or rejects with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ModelError("Cancelled.", "cancelled"));
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new ModelError("Cancelled.", "cancelled"));
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Runs `task` until it succeeds, fails for good, or runs out of tries; `onRetry` hears each wait. */
export async function withRetries<T>(
  task: () => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await task();
    } catch (error) {
      if (signal?.aborted || attempt >= policy.attempts || !isRetryable(error)) throw error;
      const delay = retryDelayMs(error, attempt, policy);
      onRetry?.(error, attempt, delay);
      await sleep(delay, signal);
    }
  }
}
