// The one interface every model backend implements: node-llama-cpp in its worker process, or an
// OpenAI-compatible HTTP server. Commands, the CLI and the tests speak only this.

export interface ChatTurn {
  role: "system" | "user" | "assistant";
  content: string;
}

/** A JSON schema in the subset both backends accept (node-llama-cpp's grammar, servers' response_format). */
export type JsonSchema = Record<string, unknown>;

export interface GenerationRequest {
  /** A conversation for the model's chat template; or `prompt` for a raw completion. */
  messages?: ChatTurn[];
  prompt?: string;
  /** The reply must be JSON of this schema (grammar-constrained where the backend can). */
  schema?: JsonSchema;
  /** Always bounded: a reply cut at this length is reported as such, never taken as complete. */
  maxTokens: number;
  temperature?: number;
  topP?: number;
  /** The last message is an assistant turn to continue: the reply is only what follows it. */
  continueLastTurn?: boolean;
  /** Text that ends a raw completion (Genstruct's next `[[[User]]]`). */
  stop?: string[];
  seed?: number;
}

export type StopReason = "end" | "maxTokens" | "stop" | "abort";

export interface GenerationResult {
  text: string;
  stopReason: StopReason;
  promptTokens?: number;
  completionTokens?: number;
  /** From sending the request to the first text chunk. */
  firstTokenMs?: number;
  totalMs: number;
}

export interface ModelInfo {
  /** What the user picked: a file name or a server URL and its model. */
  label: string;
  kind: "llama.cpp" | "http";
  /** "cuda", "vulkan", "metal", "cpu", or "server". */
  device: string;
  loaded: boolean;
  contextSize?: number;
  /** Requests this backend runs at once (sequences of one context, or parallel HTTP requests). */
  parallel: number;
}

export interface ModelBackend {
  /** Loads (or connects) if needed; `onProgress` gets 0..1 while a model file loads. */
  prepare(onProgress?: (fraction: number) => void, signal?: AbortSignal): Promise<ModelInfo>;
  generate(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult>;
  info(): ModelInfo;
  /** Frees the model's memory; the next request loads it again. */
  unload(): Promise<void>;
  dispose(): void;
}

/** A failure the user can act on, with its kind for messages and exit codes. */
export class ModelError extends Error {
  constructor(
    message: string,
    readonly kind: "file" | "memory" | "context" | "server" | "crashed" | "hung" | "cancelled" | "output",
    /** A server's HTTP status, when it answered one. */
    readonly status?: number,
    /** How long the server asked to wait before trying again (its Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export function isUrl(model: string): boolean {
  return /^https?:\/\//i.test(model.trim());
}

/** Several servers in one setting or flag: URLs separated by commas or blanks. */
export function endpointList(model: string): string[] {
  return model
    .split(/[\s,]+/)
    .map((url) => url.trim())
    .filter((url) => url !== "");
}

/** A setting or flag that names servers only: one URL, or several. */
export function isUrlList(model: string): boolean {
  const urls = endpointList(model);
  return urls.length > 0 && urls.every(isUrl);
}
