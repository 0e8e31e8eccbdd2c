// Runs in its own Node process: node-llama-cpp (ESM-only, native) is loaded here, never in the
// extension host, so a crash, an out-of-memory or a slow load cannot take the editor down.
import { ModelError } from "../core/model/backend";
import type { ModelWorkerRequest, ModelWorkerResponse, RuntimeInfo } from "../protocol/modelWorker";
import { LlamaEngine } from "../backend/llamaEngine";

const engine = new LlamaEngine();
const running = new Map<number, AbortController>();
const reply = (message: ModelWorkerResponse) => process.send?.(message);

async function probe(gpu: boolean): Promise<RuntimeInfo> {
  const started = performance.now();
  const { getLlama } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: gpu ? "auto" : false, build: "never", progressLogs: false });
  const info: RuntimeInfo = {
    backend: llama.gpu === false ? "cpu" : llama.gpu,
    llamaCppRelease: llama.llamaCppRelease.release,
    loadMs: performance.now() - started,
    pid: process.pid,
  };
  await llama.dispose();
  return info;
}

async function handle(request: ModelWorkerRequest): Promise<ModelWorkerResponse | undefined> {
  const id = request.id;
  switch (request.type) {
    case "probe":
      return { id, type: "probe", info: await probe(request.gpu) };
    case "load":
      return { id, type: "loaded", model: await engine.load(request.options, (fraction) => reply({ id, type: "progress", fraction })) };
    case "generate": {
      const controller = new AbortController();
      running.set(id, controller);
      try {
        return { id, type: "generated", result: await engine.generate(request.request, (text) => reply({ id, type: "chunk", text }), controller.signal) };
      } finally {
        running.delete(id);
      }
    }
    case "cancel":
      running.get(request.target)?.abort();
      return undefined;
    case "unload":
      await engine.unload();
      return { id, type: "unloaded" };
  }
}

process.on("message", (request: ModelWorkerRequest) => {
  handle(request).then(
    (response) => response && reply(response),
    (error: unknown) =>
      reply({
        id: request.id,
        type: "error",
        message: error instanceof Error ? error.message : String(error),
        kind: error instanceof ModelError ? error.kind : "crashed",
      }),
  );
});
