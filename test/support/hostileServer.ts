// An OpenAI-compatible server on 127.0.0.1 that misbehaves the way a broken or hostile one can:
// keep-alive events with no text forever, text without end, huge error bodies, an event line with
// no newline, events that are not JSON, connections cut in the middle. Every stream it sends
// stops when the client goes away, and the server stops with the test.
import { createServer, IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Hostility = "empty-deltas" | "endless-text" | "huge-error" | "endless-line" | "not-json" | "cut" | "giant-entry" | "terminal-escapes";

export interface HostileServer {
  url: string;
  /** Every request's path and Authorization header. */
  seen: Array<{ path: string; authorization?: string }>;
  /** Bytes written to clients, all requests together. */
  sentBytes(): number;
  close(): Promise<void>;
}

const event = (content: string) => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;

/** Writes `piece` again and again while the client reads, until it leaves (or `limit` bytes). */
function flood(response: ServerResponse, piece: string, count: (n: number) => void, limit = 400 * 1024 * 1024): void {
  const buffer = Buffer.from(piece.repeat(Math.max(1, Math.floor(65536 / piece.length))));
  let sent = 0;
  const pump = () => {
    while (!response.destroyed && sent < limit) {
      sent += buffer.length;
      count(buffer.length);
      if (!response.write(buffer)) return void response.once("drain", pump);
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

export async function startHostileServer(hostility: Hostility, entry?: Record<string, unknown>): Promise<HostileServer> {
  const seen: HostileServer["seen"] = [];
  let bytes = 0;
  const count = (n: number) => (bytes += n);
  const open = new Set<ServerResponse>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    open.add(response);
    response.on("close", () => open.delete(response));
    const path = request.url ?? "";
    seen.push({ path, authorization: request.headers.authorization });
    request.resume();
    if (request.method === "GET") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ data: [{ id: "hostile" }] }));
      return;
    }
    if (hostility === "huge-error") {
      response.writeHead(500, { "content-type": "text/plain" });
      flood(response, "Internal Server Error ", count);
      return;
    }
    response.writeHead(200, { "content-type": "text/event-stream" });
    switch (hostility) {
      case "empty-deltas": {
        const timer = setInterval(() => response.write(event("")), 100);
        response.on("close", () => clearInterval(timer));
        return;
      }
      case "endless-text":
        return flood(response, event("more "), count);
      case "endless-line":
        response.write("data: ");
        return flood(response, "x", count);
      case "not-json":
        response.end("data: {not json at all\n\n");
        return;
      case "cut":
        response.write(event("Half a rep"));
        setTimeout(() => response.socket?.destroy(), 50);
        return;
      case "giant-entry":
      case "terminal-escapes": {
        const text = JSON.stringify(entry ?? {});
        for (let at = 0; at < text.length; at += 1 << 14) response.write(event(text.slice(at, at + (1 << 14))));
        response.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: {}, finish_reason: "stop" }] })}\n\n`);
        response.end("data: [DONE]\n\n");
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    seen,
    sentBytes: () => bytes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of open) r.destroy();
        server.close(() => resolve());
      }),
  };
}
