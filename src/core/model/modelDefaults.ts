// The model commands' defaults and limits, one copy for the editor's settings and the CLI's flags.
import { maxRowBytes } from "../validate/lineChecks";

export const modelDefaults = {
  contextSize: 8192,
  parallel: 2,
  /** Nothing at all from the model for this long: it is taken as hung. */
  stallTimeoutSeconds: 120,
  /**
   * The longest one request may take in all. A 70B model on a CPU writes about one token a
   * second, so a 1,024-token reply takes about 17 minutes: 30 minutes leaves room for its prompt.
   */
  timeoutSeconds: 1800,
  maxTokens: 1024,
  temperature: 0.7,
  topP: 0.5,
  idleUnloadMinutes: 10,
} as const;

/** Critiques are short JSON objects: a score, a rationale and a few issues. */
export const critiqueMaxTokens = 768;

/** The environment variable an API key for a server is read from (never a setting: settings files get shared). */
export const apiKeyVariable = "INSTRUCT_STUDIO_API_KEY";

export function apiKeyFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = env[apiKeyVariable]?.trim();
  return key ? key : undefined;
}

/**
 * Bytes a reply may have for `maxTokens` tokens. The longest tokens of real vocabularies are a few
 * dozen bytes (runs of spaces or repeated characters), so 64 bytes a token is never reached by a
 * server that honours `max_tokens`; one that ignores it is stopped here, not at V8's string limit.
 * Never past a row's own limit: an entry longer than a row may be is refused anyway.
 */
export function maxReplyBytes(maxTokens: number): number {
  return Math.min(maxRowBytes, Math.max(1, maxTokens) * 64);
}

/** An error body is read this far: enough for any server's message, never a 300 MB page. */
export const maxErrorBodyBytes = 64 * 1024;
/** `/v1/models` of a server with thousands of models is well under this. */
export const maxModelListBytes = 4 * 1024 * 1024;
/** One server-sent event line: a chunk of a few tokens, with room for a verbose server's metadata. */
export const maxEventLineBytes = 1024 * 1024;
