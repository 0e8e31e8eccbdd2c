import type { GenerationRequest } from "./backend";

/**
 * The body of an OpenAI chat or completion request, one copy for the HTTP backend and for the
 * Batch API files: an online run and a batch job send the same prompt and `response_format`.
 */
export function openAiBody(request: GenerationRequest, model: string | undefined, options: { stream: boolean; withSchema: boolean }): Record<string, unknown> {
  const streaming = options.stream ? { stream: true, stream_options: { include_usage: true } } : {};
  const common = { model, max_tokens: request.maxTokens, temperature: request.temperature ?? 0, top_p: request.topP, seed: request.seed, ...streaming };
  if (request.prompt !== undefined) return { ...common, prompt: request.prompt, stop: request.stop };
  const format =
    options.withSchema && request.schema
      ? { response_format: { type: "json_schema", json_schema: { name: "entry", schema: request.schema, strict: true } } }
      : {};
  // vLLM continues a final assistant message with these; llama-server does so by itself.
  const continuation = request.continueLastTurn ? { continue_final_message: true, add_generation_prompt: false } : {};
  return { ...common, messages: request.messages, ...format, ...continuation };
}

export const chatCompletionsPath = "/v1/chat/completions";
