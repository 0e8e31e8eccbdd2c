// A small OpenAI-compatible server on 127.0.0.1 for tests of the HTTP backend: streams chat and
// completion replies as server-sent events, answers JSON that fits a request's response_format
// schema, and can be slow, stall, fail or reject response_format on demand.
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ServerBehaviour {
  /** Delay between streamed chunks. */
  chunkDelayMs?: number;
  /** Stop sending (but keep the connection) after this many chunks. */
  stallAfterChunks?: number;
  /** Answer every generation request with this status and an OpenAI-style error. */
  failWith?: { status: number; message: string };
  /** Answer 400 to requests that carry response_format (as servers without it do). */
  rejectResponseFormat?: boolean;
  /** Free text for requests without a schema. */
  text?: string;
  /** Wait this long before answering a generation request (a busy GPU server's latency). */
  latencyMs?: number;
  /** The next this-many generation requests fail with this status (and Retry-After, in seconds, when given). */
  failNext?: { count: number; status: number; retryAfterSeconds?: number };
  /** Keep no request bodies (a bench's hundred thousand requests). */
  forgetRequests?: boolean;
}

export interface TestServer {
  url: string;
  requests: Array<{ path: string; body: Record<string, unknown>; authorization?: string }>;
  behaviour: ServerBehaviour;
  close(): Promise<void>;
}

const words = (
  "describe explain list compare summarize water cycle river mountain history museum science planet ocean forest city market " +
  "language number garden bridge winter summer letter poem story recipe kitchen school teacher doctor engine train island desert"
).split(" ");

/** Six words picked by a small LCG from the seed: different seeds give unrelated sentences. */
function sentence(seed: number): string {
  let x = (seed + 1) * 9973;
  return Array.from({ length: 6 }, () => words[(x = (x * 1103515245 + 12345) % 2147483648) % words.length]).join(" ");
}

/** A value that fits a JSON schema (the subset the extension sends): strings of words, first enum, minimal arrays. */
export function exampleFor(schema: Record<string, unknown>, seed = 0): unknown {
  if ("const" in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[seed % schema.enum.length];
  switch (schema.type) {
    case "object": {
      const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
      return Object.fromEntries(Object.entries(properties).map(([key, sub], i) => [key, exampleFor(sub, seed * 31 + i)]));
    }
    case "array": {
      if (Array.isArray(schema.prefixItems)) return (schema.prefixItems as Array<Record<string, unknown>>).map((s, i) => exampleFor(s, seed * 31 + i));
      const count = Math.max(1, Number(schema.minItems ?? 1));
      return Array.from({ length: count }, (_, i) => exampleFor(schema.items as Record<string, unknown>, seed * 31 + i));
    }
    case "boolean":
      return false;
    case "string":
      return sentence(seed);
    default:
      return null;
  }
}

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    let data = "";
    request.on("data", (chunk) => (data += chunk));
    request.on("end", () => resolve(data ? JSON.parse(data) : {}));
  });
}

export async function startOpenAiServer(behaviour: ServerBehaviour = {}): Promise<TestServer> {
  const requests: TestServer["requests"] = [];
  let calls = 0;
  const open = new Set<ServerResponse>();
  const server: Server = createServer(async (request, response) => {
    const path = request.url ?? "";
    if (request.method === "GET" && path === "/v1/models") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "list", data: [{ id: "test-model", object: "model" }] }));
      return;
    }
    const body = await readBody(request);
    const state = server as Server & { behaviour: ServerBehaviour };
    const b = state.behaviour;
    if (!b.forgetRequests) requests.push({ path, body, authorization: request.headers.authorization });
    if (b.latencyMs) await new Promise((r) => setTimeout(r, b.latencyMs));
    if (b.failNext && b.failNext.count > 0) {
      b.failNext.count--;
      const headers = {
        "content-type": "application/json",
        ...(b.failNext.retryAfterSeconds !== undefined ? { "retry-after": String(b.failNext.retryAfterSeconds) } : {}),
      };
      response.writeHead(b.failNext.status, headers).end(JSON.stringify({ error: { message: `busy (${b.failNext.status})` } }));
      return;
    }
    if (b.failWith) {
      response.writeHead(b.failWith.status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: b.failWith.message } }));
      return;
    }
    if (b.rejectResponseFormat && body.response_format) {
      response.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "response_format is not supported" } }));
      return;
    }
    const format = body.response_format as { json_schema?: { schema?: Record<string, unknown> } } | undefined;
    const chat = path === "/v1/chat/completions";
    const text = format?.json_schema?.schema
      ? JSON.stringify(exampleFor(format.json_schema.schema, calls++))
      : chat
        ? (b.text ?? "Water evaporates, forms clouds and falls as rain.")
        : " Why does it rain?\n[[[Assistant]]] Because water vapour condenses.";
    response.writeHead(200, { "content-type": "text/event-stream" });
    open.add(response);
    response.on("close", () => open.delete(response));
    const pieces = text.match(/.{1,8}/gs) ?? [];
    for (let i = 0; i < pieces.length; i++) {
      if (b.stallAfterChunks !== undefined && i >= b.stallAfterChunks) return;
      const choice = chat ? { index: 0, delta: { content: pieces[i] }, finish_reason: null } : { index: 0, text: pieces[i], finish_reason: null };
      response.write(`data: ${JSON.stringify({ choices: [choice] })}\n\n`);
      if (b.chunkDelayMs) await new Promise((r) => setTimeout(r, b.chunkDelayMs));
      if (response.destroyed) return;
    }
    const last = chat ? { index: 0, delta: {}, finish_reason: "stop" } : { index: 0, text: "", finish_reason: "stop" };
    response.write(`data: ${JSON.stringify({ choices: [last], usage: { prompt_tokens: 42, completion_tokens: pieces.length } })}\n\n`);
    response.end("data: [DONE]\n\n");
  });
  (server as Server & { behaviour: ServerBehaviour }).behaviour = behaviour;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    behaviour,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of open) r.destroy();
        server.close(() => resolve());
      }),
  };
}
