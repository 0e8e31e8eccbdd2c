import { GenerationRequest, GenerationResult, ModelBackend, ModelError, ModelInfo } from "../core/model/backend";
import { isRetryable } from "../core/model/retryPolicy";

/** A server that failed is passed over for this long (or its Retry-After), while another can answer. */
const coolDownMs = 5_000;

interface Endpoint {
  backend: ModelBackend;
  inFlight: number;
  /** Until when it is passed over after a failure. */
  resting: number;
}

/**
 * Several OpenAI-compatible servers as one backend: each request goes to the least busy server
 * that is not resting after a failure, and a request that fails on one before any text arrived
 * is sent at once to another (each server once). Only when every server failed it is the
 * caller's to retry, with its backoff.
 */
export class MultiBackend implements ModelBackend {
  private readonly endpoints: Endpoint[];
  private next = 0;

  constructor(backends: ModelBackend[]) {
    this.endpoints = backends.map((backend) => ({ backend, inFlight: 0, resting: 0 }));
  }

  info(): ModelInfo {
    const infos = this.endpoints.map((e) => e.backend.info());
    return {
      ...infos[0],
      label: infos.map((i) => i.label).join(", "),
      loaded: infos.some((i) => i.loaded),
      parallel: infos.reduce((sum, i) => sum + i.parallel, 0),
    };
  }

  /** Ready when one server is: the others are asked again when a request goes to them. */
  async prepare(onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<ModelInfo> {
    const outcomes = await Promise.allSettled(this.endpoints.map((e) => e.backend.prepare(onProgress, signal)));
    const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    if (failed.length === outcomes.length) throw failed[0].reason;
    outcomes.forEach((o, i) => o.status === "rejected" && (this.endpoints[i].resting = Date.now() + coolDownMs));
    return this.info();
  }

  private pick(tried: Set<Endpoint>): Endpoint | undefined {
    const now = Date.now();
    const candidates = this.endpoints.filter((e) => !tried.has(e));
    const awake = candidates.filter((e) => e.resting <= now);
    const pool = awake.length > 0 ? awake : candidates;
    if (pool.length === 0) return undefined;
    // The least busy; among equals, the one after the last picked, so load spreads evenly.
    const start = this.next++ % this.endpoints.length;
    const order = [...this.endpoints.slice(start), ...this.endpoints.slice(0, start)].filter((e) => pool.includes(e));
    return order.reduce((best, e) => (e.inFlight < best.inFlight ? e : best));
  }

  async generate(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult> {
    const tried = new Set<Endpoint>();
    let lastError: unknown;
    for (let endpoint = this.pick(tried); endpoint; endpoint = this.pick(tried)) {
      tried.add(endpoint);
      let streamed = false;
      endpoint.inFlight++;
      try {
        return await endpoint.backend.generate(request, onText && ((chunk) => ((streamed = true), onText(chunk))), signal);
      } catch (error) {
        lastError = error;
        // Text already shown cannot be taken back: such a request is not sent again here.
        if (streamed || signal?.aborted || !isRetryable(error)) throw error;
        const asked = error instanceof ModelError ? error.retryAfterMs : undefined;
        endpoint.resting = Date.now() + Math.max(coolDownMs, asked ?? 0);
      } finally {
        endpoint.inFlight--;
      }
    }
    throw lastError;
  }

  async unload(): Promise<void> {
    await Promise.all(this.endpoints.map((e) => e.backend.unload()));
  }

  dispose(): void {
    for (const e of this.endpoints) e.backend.dispose();
  }
}
