// The tests' OpenAI-compatible server on its own, for trying the model commands at scale by hand:
//   node out/test/launch/fakeServer.js [latencyMs]   (prints its URL; Ctrl-C stops it)
import { startOpenAiServer } from "../support/openaiServer";

void (async () => {
  const latencyMs = Number(process.argv[2] ?? 300);
  const server = await startOpenAiServer({ latencyMs, forgetRequests: true });
  process.stdout.write(`${server.url}\n`);
})();
