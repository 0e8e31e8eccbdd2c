import { GenerationRequest, GenerationResult, ModelBackend, ModelError, ModelInfo, StopReason } from "../core/model/backend";
import { Limiter } from "../core/model/limiter";
import { sseData } from "../core/model/sse";

export interface HttpBackendOptions {
  /** An OpenAI-compatible base URL: llama-server, vLLM, Ollama (`http://host:port` or `.../v1`). */
  url: string;
  /** The server's model name; empty asks the server's /v1/models for its first. */
  model?: string;
  apiKey?: string;
  parallel: number;
  /** A response silent for this long is abandoned. */
  stallTimeoutMs: number;
  log?: (line: string) => void;
}

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
    return { label: `${this.model ?? "server"} @ ${this.base}`, kind: "http", device: "server", loaded: this.model !== undefined, parallel: this.options.parallel };
  }

  private headers(): Record<string, string> {
    return { "content-type": "application/json", ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}) };
  }

  private async fetch(path: string, init: RequestInit, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(`${this.base}${path}`, { ...init, headers: this.headers(), signal });
    } catch (error) {
      if (signal?.aborted) throw signal.reason instanceof ModelError ? signal.reason : new ModelError("Cancelled.", "cancelled");
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new ModelError(`Cannot reach the model server at ${this.base}: ${cause?.code ?? cause?.message ?? (error as Error).message}`, "server");
    }
  }

  async prepare(): Promise<ModelInfo> {
    if (this.model) return this.info();
    const response = await this.fetch("/models", { method: "GET" }, AbortSignal.timeout(this.options.stallTimeoutMs));
    if (response.status === 503) throw new ModelError(`The server at ${this.base} is still loading its model; try again in a moment.`, "server");
    if (!response.ok) {
      this.model = "default";
      this.options.log?.(`${this.base}/models answered ${response.status}; requests name the model "default".`);
      return this.info();
    }
    const body = (await response.json()) as { data?: Array<{ id?: string }> };
    this.model = body.data?.find((m) => typeof m.id === "string")?.id ?? "default";
    this.options.log?.(`Using model "${this.model}" of ${this.base}.`);
    return this.info();
  }

  generate(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult> {
    return this.limiter.run(() => this.generateNow(request, onText, signal));
  }

  private body(request: GenerationRequest, withSchema: boolean): Record<string, unknown> {
    const common = { model: this.model, max_tokens: request.maxTokens, temperature: request.temperature ?? 0, top_p: request.topP, seed: request.seed, stream: true, stream_options: { include_usage: true } };
    if (request.prompt !== undefined) return { ...common, prompt: request.prompt, stop: request.stop };
    const format = withSchema && request.schema ? { response_format: { type: "json_schema", json_schema: { name: "entry", schema: request.schema, strict: true } } } : {};
    // vLLM continues a final assistant message with these; llama-server does so by itself.
    const continuation = request.continueLastTurn ? { continue_final_message: true, add_generation_prompt: false } : {};
    return { ...common, messages: request.messages, ...format, ...continuation };
  }

  private async generateNow(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult> {
    await this.prepare();
    const started = performance.now();
    const controller = new AbortController();
    const abort = () => controller.abort(new ModelError("Cancelled.", "cancelled"));
    if (signal?.aborted) abort();
    signal?.addEventListener("abort", abort);
    let stall: NodeJS.Timeout | undefined;
    const watch = () => {
      clearTimeout(stall);
      stall = setTimeout(() => controller.abort(new ModelError(`The server at ${this.base} sent nothing for ${Math.round(this.options.stallTimeoutMs / 1000)} s; the request was abandoned.`, "hung")), this.options.stallTimeoutMs);
    };
    try {
      watch();
      const path = request.prompt !== undefined ? "/completions" : "/chat/completions";
      let response = await this.fetch(path, { method: "POST", body: JSON.stringify(this.body(request, !this.schemaUnsupported)) }, controller.signal);
      if (!response.ok && request.schema && !this.schemaUnsupported && (response.status === 400 || response.status === 422)) {
        const detail = await response.text();
        if (/response_format|json_schema|schema/i.test(detail)) {
          this.schemaUnsupported = true;
          this.options.log?.(`${this.base} rejected response_format (${response.status}: ${detail.slice(0, 200)}); asking for JSON in the prompt only.`);
          response = await this.fetch(path, { method: "POST", body: JSON.stringify(this.body(request, false)) }, controller.signal);
        } else throw serverError(response.status, detail, this.base);
      }
      if (!response.ok || !response.body) throw serverError(response.status, await response.text(), this.base);
      let text = "";
      let stopReason: StopReason = "end";
      let firstTokenMs: number | undefined;
      let usage: { prompt_tokens?: number; completion_tokens?: number } | undefined;
      for await (const data of sseData(response.body as unknown as AsyncIterable<Uint8Array>)) {
        watch();
        const event = JSON.parse(data) as { choices?: Array<{ delta?: { content?: string | null }; text?: string; finish_reason?: string | null }>; usage?: typeof usage };
        const choice = event.choices?.[0];
        const piece = choice?.delta?.content ?? choice?.text ?? "";
        if (piece) {
          firstTokenMs ??= performance.now() - started;
          text += piece;
          onText?.(piece);
        }
        if (choice?.finish_reason) stopReason = finishReasons[choice.finish_reason] ?? "end";
        if (event.usage) usage = event.usage;
      }
      return { text, stopReason, promptTokens: usage?.prompt_tokens, completionTokens: usage?.completion_tokens, firstTokenMs, totalMs: performance.now() - started };
    } catch (error) {
      if (controller.signal.aborted && controller.signal.reason instanceof ModelError) throw controller.signal.reason;
      throw error;
    } finally {
      clearTimeout(stall);
      signal?.removeEventListener("abort", abort);
    }
  }

  async unload(): Promise<void> {}

  dispose(): void {}
}

function serverError(status: number, body: string, base: string): ModelError {
  let message = body;
  try {
    const parsed = JSON.parse(body) as { error?: { message?: string } | string };
    message = typeof parsed.error === "string" ? parsed.error : (parsed.error?.message ?? body);
  } catch {
    // not JSON: keep the text
  }
  const tooLong = /context|too long|exceeds|maximum.*tokens/i.test(message);
  return new ModelError(`The model server at ${base} answered ${status}: ${message.slice(0, 400)}`, tooLong ? "context" : "server");
}
