import type { GenerationRequest, StopReason } from "../model/backend";
import { chatCompletionsPath, openAiBody } from "../model/openaiBody";

/**
 * One input line of the OpenAI Batch API, the format `vllm run-batch` reads too: the body is
 * what an online run sends, without streaming. `custom_id` must be unique in the file.
 */
export function batchRequestLine(customId: string, request: GenerationRequest, model: string): string {
  return JSON.stringify({
    custom_id: customId,
    method: "POST",
    url: chatCompletionsPath,
    body: openAiBody(request, model, { stream: false, withSchema: true }),
  });
}

/** One output line, read: the reply's text and why it ended, or why it failed. */
export type BatchOutcome = { customId: string; text: string; stopReason: StopReason } | { customId: string; error: string };

const finishReasons: Record<string, StopReason> = { stop: "end", length: "maxTokens", eos: "end", tool_calls: "end" };

type Completion = { choices?: Array<{ message?: { content?: unknown }; finish_reason?: unknown }> };

const errorMessage = (error: unknown): string | undefined => {
  if (error === null || error === undefined) return undefined;
  if (typeof error === "string") return error;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" ? message : JSON.stringify(error);
};

/**
 * Reads one output line. OpenAI writes `{"id", "custom_id", "response": {"status_code",
 * "request_id", "body"}, "error"}`; vLLM's run-batch README shows `response` as the chat
 * completion itself: both are read. A line that is not an output line at all is `invalid`.
 */
export function readBatchOutputLine(line: string): BatchOutcome | { invalid: string } {
  let value: { custom_id?: unknown; response?: unknown; error?: unknown };
  try {
    value = JSON.parse(line) as typeof value;
  } catch {
    return { invalid: "not JSON" };
  }
  if (typeof value !== "object" || value === null || typeof value.custom_id !== "string") return { invalid: "no custom_id" };
  const customId = value.custom_id;
  const failure = errorMessage(value.error);
  if (failure) return { customId, error: failure };
  const response = value.response as { status_code?: unknown; body?: unknown } | null | undefined;
  if (!response || typeof response !== "object") return { customId, error: "no response" };
  const wrapped = "body" in response || "status_code" in response;
  const body = (wrapped ? response.body : response) as (Completion & { error?: unknown }) | undefined;
  const status = wrapped && typeof response.status_code === "number" ? response.status_code : 200;
  if (status !== 200) return { customId, error: `status ${status}${body?.error ? `: ${errorMessage(body.error)}` : ""}` };
  const choice = body?.choices?.[0];
  const content = choice?.message?.content;
  if (typeof content !== "string") return { customId, error: "the response has no message content" };
  const stopReason = typeof choice?.finish_reason === "string" ? (finishReasons[choice.finish_reason] ?? "end") : "end";
  return { customId, text: content, stopReason };
}
