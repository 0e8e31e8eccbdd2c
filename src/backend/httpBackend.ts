import { GenerationRequest, GenerationResult, ModelBackend, ModelError, ModelInfo, StopReason } from "../core/model/backend";
import { RequestDeadline, startDeadline } from "../core/model/deadline";
import { Limiter } from "../core/model/limiter";
import { maxErrorBodyBytes, maxModelListBytes, maxReplyBytes } from "../core/model/modelDefaults";
import { readBounded, sseData, SseLineTooLongError } from "../core/model/sse";
import { parseRetryAfter } from "../core/model/retryPolicy";
import { openAiBody } from "../core/model/openaiBody";

export interface HttpBackendOptions {
  /** An OpenAI-compatible base URL: llama-server, vLLM, Ollama (`http://host:port` or `.../v1`). */
  url: string;
  /** The server's model name; empty asks the server's /v1/models for its first. */
  model?: string;
  apiKey?: string;
  parallel: number;
  /** A response with no text for this long is abandoned (keep-alive events with no text do not count). */
  stallTimeoutMs: number;
  /** The longest one request may take in all. */
  deadline?: RequestDeadline;
  log?: (line: string) => void;
}

type StreamEvent = {
  choices?: Array<{ delta?: { content?: unknown }; text?: unknown; finish_reason?: string | null }>;
  usage?: { prompt_tokens?: number; completion_tokens?: number };
};

const formatBytes = (bytes: number) =>
  bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.round(bytes / 1024).toLocaleString("en-US")} KB`;

const finishReasons: Record<string, StopReason> = { stop: "end", length: "maxTokens", eos: "end", tool_calls: "end" };

export function apiBase(url: string): string {
  const trimmed = url.trim().replace(/\/+$/, "");
  return /\/v1$/.test(trimmed) ? trimmed : `${trimmed}/v1`;
}

/** An OpenAI-compatible HTTP server, for users whose GPU is in another machine. */
export class HttpBackend implements ModelBackend {
  private readonly base: string;
  private readonly limiter: Limiter;
  private model: string | undefined;
  /** Set when the server rejected `response_format`: the prompt alone then asks for JSON. */
  private schemaUnsupported = false;

  constructor(private readonly options: HttpBackendOptions) {
    this.base = apiBase(options.url);
    this.limiter = new Limiter(Math.max(1, options.parallel));
    this.model = options.model?.trim() || undefined;
  }

  info(): ModelInfo {
    return {
      label: `${this.model ?? "server"} @ ${this.base}`,
      kind: "http",
      device: "server",
      loaded: this.model !== undefined,
      parallel: this.options.parallel,
    };
  }

  private headers(): Record<string, string> {
    return { "content-type": "application/json", ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) };
  }

  private async fetch(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { ...init, headers: this.headers(), signal });
    } catch (error) {
      if (signal?.aborted) {
        const reason: unknown = signal.reason;
        if (reason instanceof ModelError) throw reason;
        if (reason instanceof DOMException && reason.name === "TimeoutError")
          throw new ModelError(`The server at ${this.base} did not answer within ${Math.round(this.options.stallTimeoutMs / 1000)} s.`, "hung");
        throw new ModelError("Cancelled.", "cancelled");
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ModelError(`Cannot reach the model server at ${this.base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, "server");
    }
  }

  async prepare(_onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<ModelInfo> {
    if (this.model) return this.info();
    const timeout = AbortSignal.timeout(this.options.stallTimeoutMs);
    const response = await this.fetch("/models", { method: "GET" }, signal ? AbortSignal.any([signal, timeout]) : timeout);
    if (response.status === 503)
      throw new ModelError(
        `The server at ${this.base} is still loading its model; try again in a moment.`,
        "server",
        503,
        parseRetryAfter(response.headers.get("retry-after")),
      );
    if (!response.ok) {
      this.model = "default";
      this.options.log?.(`${this.base}/models answered ${response.status}; requests name the model "default".`);
      return this.info();
    }
    const { text, truncated } = await readBounded(response.body as unknown as AsyncIterable<Uint8Array>, maxModelListBytes);
    let body: { data?: Array<{ id?: string }> } = {};
    try {
      if (!truncated) body = JSON.parse(text) as typeof body;
    } catch {
      // not a model list: requests name the model "default", as for a server without /models
    }
    this.model = body.data?.find((m) => typeof m?.id === "string")?.id ?? "default";
    this.options.log?.(`Using model "${this.model}" of ${this.base}.`);
    return this.info();
  }

  generate(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult> {
    return this.limiter.run(() => this.generateNow(request, onText, signal));
  }

  private body(request: GenerationRequest, withSchema: boolean): Record<string, unknown> {
    return openAiBody(request, this.model, { stream: true, withSchema });
  }

  private async generateNow(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult> {
    const started = performance.now();
    const controller = new AbortController();
    const stop = (reason: ModelError) => !controller.signal.aborted && controller.abort(reason);
    const abort = () => stop(signal?.reason instanceof ModelError ? signal.reason : new ModelError("Cancelled.", "cancelled"));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort);
    const endDeadline = startDeadline(this.options.deadline, stop);
    // One timer per request, re-armed only when it fires early: a reply streams hundreds of
    // events, and a new timer for each was a measurable share of a request's CPU at 64 in flight.
    let stall: NodeJS.Timeout | undefined;
    let lastText = performance.now();
    const stallTimeoutMs = this.options.stallTimeoutMs;
    const check = () => {
      const quietMs = performance.now() - lastText;
      if (quietMs < stallTimeoutMs) stall = setTimeout(check, stallTimeoutMs - quietMs);
      else stop(new ModelError(`The server at ${this.base} sent no text for ${Math.round(stallTimeoutMs / 1000)} s; the request was abandoned.`, "hung"));
    };
    const watch = () => {
      lastText = performance.now();
      stall ??= setTimeout(check, stallTimeoutMs);
    };
    let received = 0;
    try {
      watch();
      await this.prepare(undefined, controller.signal);
      const path = request.prompt !== undefined ? "/completions" : "/chat/completions";
      let response = await this.fetch(path, { method: "POST", body: JSON.stringify(this.body(request, !this.schemaUnsupported)) }, controller.signal);
      if (!response.ok && request.schema && !this.schemaUnsupported && (response.status === 400 || response.status === 422)) {
        const detail = await this.errorBody(response);
        if (/response_format|json_schema|schema/i.test(detail)) {
          this.schemaUnsupported = true;
          this.options.log?.(`${this.base} rejected response_format (${response.status}: ${detail.slice(0, 200)}); asking for JSON in the prompt only.`);
          response = await this.fetch(path, { method: "POST", body: JSON.stringify(this.body(request, false)) }, controller.signal);
        } else throw serverError(response, detail, this.base);
      }
      if (!response.ok || !response.body) throw serverError(response, await this.errorBody(response), this.base);
      const maxBytes = maxReplyBytes(request.maxTokens);
      let text = "";
      let stopReason: StopReason = "end";
      let firstTokenMs: number | undefined;
      let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
      for await (const data of sseData(response.body as unknown as AsyncIterable<Uint8Array>)) {
        const event = this.parseEvent(data);
        const choice = event.choices?.[0];
        const piece = choice?.delta?.content ?? choice?.text ?? "";
        if (typeof piece === "string" && piece) {
          watch();
          firstTokenMs ??= performance.now() - started;
          received += Buffer.byteLength(piece);
          if (received > maxBytes) {
            throw new ModelError(
              `The server at ${this.base} sent more than ${formatBytes(maxBytes)} for a reply of at most ${request.maxTokens.toLocaleString("en-US")} tokens (does it ignore max_tokens?); the reply was discarded.`,
              "output",
            );
          }
          text += piece;
          onText?.(piece);
        }
        if (choice?.finish_reason) stopReason = finishReasons[choice.finish_reason] ?? "end";
        if (event.usage) usage = event.usage;
      }
      return {
        text,
        stopReason,
        promptTokens: usage?.prompt_tokens,
        completionTokens: usage?.completion_tokens,
        firstTokenMs,
        totalMs: performance.now() - started,
      };
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof ModelError) throw controller.signal.reason;
      if (error instanceof SseLineTooLongError) throw new ModelError(`The server at ${this.base} ${error.message}; the reply was discarded.`, "server");
      // undici says "terminated" when the connection closes in the middle of a body.
      if (error instanceof TypeError && /terminated|other side closed|socket/i.test(error.message)) {
        throw new ModelError(
          `The server at ${this.base} closed the connection in the middle of the reply (after ${formatBytes(received)} of text); nothing was written.`,
          "server",
        );
      }
      throw error;
    } finally {
      clearTimeout(stall);
      endDeadline();
      signal?.removeEventListener("abort", abort);
    }
  }

  private parseEvent(data: string): StreamEvent {
    let event: unknown;
    try {
      event = JSON.parse(data);
    } catch {
      throw new ModelError(
        `The server at ${this.base} sent an event that is not JSON (${JSON.stringify(data.slice(0, 80))}); is it an OpenAI-compatible server?`,
        "server",
      );
    }
    if (typeof event !== "object" || event === null || Array.isArray(event))
      throw new ModelError(`The server at ${this.base} sent an event that is not a JSON object (${JSON.stringify(data.slice(0, 80))}).`, "server");
    return event as StreamEvent;
  }

  /** The start of an error body: enough for its message, however much the server sends. */
  private async errorBody(response: Response): Promise<string> {
    try {
      const { text, truncated } = await readBounded(response.body as unknown as AsyncIterable<Uint8Array> | null, maxErrorBodyBytes);
      return truncated ? `${text}… (cut at ${formatBytes(maxErrorBodyBytes)})` : text;
    } catch (error) {
      return `(the body could not be read: ${(error as Error).message})`;
    }
  }

  async unload(): Promise<void> {}

  dispose(): void {}
}

function serverError(response: Response, body: string, base: string): ModelError {
  const status = response.status;
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string };
    message = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? body);
  } catch {
    // not JSON: keep the text
  }
  // A busy or failing server's message may mention limits too ("rate limit exceeded"): only a refusal of the request itself is a context error.
  const tooLong = status >= 400 && status < 500 && status !== 429 && /context|too long|exceeds|maximum.*tokens/i.test(message);
  return new ModelError(
    `The model server at ${base} answered ${status}: ${message.slice(0, 400)}`,
    tooLong ? "context" : "server",
    status,
    parseRetryAfter(response.headers.get("retry-after")),
  );
}
