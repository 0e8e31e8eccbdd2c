import { concat } from "../jsonl/lineReader";
import { maxEventLineBytes } from "./modelDefaults";

export class SseLineTooLongError extends Error {}

/**
 * Server-sent events as OpenAI-compatible servers stream them: `data: {json}` lines, blank-line
 * separated, ending with `data: [DONE]`. Hand-written because it is a few dozen lines and every
 * npm SSE client wants to own the HTTP request too. Each byte is scanned once (a line that
 * arrives in thousands of chunks is not rescanned per chunk), and a line longer than
 * `maxLineBytes` stops the stream instead of growing without end.
 */
export async function* sseData(body: AsyncIterable<Uint8Array>, maxLineBytes = maxEventLineBytes): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  for await (const chunk of body) {
    let start = 0;
    for (let newline = chunk.indexOf(10, start); newline >= 0; newline = chunk.indexOf(10, start)) {
      const piece = chunk.subarray(start, newline);
      const bytes = pendingBytes === 0 ? piece : concat([...pending, piece], pendingBytes + piece.length);
      pending = [];
      pendingBytes = 0;
      start = newline + 1;
      if (bytes.length > maxLineBytes) throw tooLong(maxLineBytes);
      const data = dataOf(decoder.decode(bytes));
      if (data === "[DONE]") return;
      if (data) yield data;
    }
    if (start < chunk.length) {
      pending.push(chunk.slice(start));
      pendingBytes += chunk.length - start;
      if (pendingBytes > maxLineBytes) throw tooLong(maxLineBytes);
    }
  }
}

function dataOf(line: string): string | undefined {
  const text = line.endsWith("\r") ? line.slice(0, -1) : line;
  return text.startsWith("data:") ? text.slice(5).trim() : undefined;
}

const tooLong = (max: number) => new SseLineTooLongError(`sent an event line over ${Math.round(max / 1024)} KB with no end (not a server-sent event stream?)`);

/** Reads at most `maxBytes` of a body as text, then stops reading (a server's 300 MB error page is never held). */
export async function readBounded(body: AsyncIterable<Uint8Array> | null, maxBytes: number): Promise<{ text: string; truncated: boolean }> {
  if (!body) return { text: "", truncated: false };
  const parts: Uint8Array[] = [];
  let length = 0;
  let truncated = false;
  const iterator = body[Symbol.asyncIterator]();
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      const room = maxBytes - length;
      if (next.value.length > room) {
        parts.push(next.value.subarray(0, room));
        length = maxBytes;
        truncated = true;
        break;
      }
      parts.push(next.value);
      length += next.value.length;
    }
  } finally {
    await iterator.return?.();
  }
  return { text: new TextDecoder().decode(concat(parts, length)), truncated };
}
