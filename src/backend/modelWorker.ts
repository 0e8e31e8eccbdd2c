// Runs in its own Node process: node-llama-cpp (ESM-only, native) is loaded here, never in the
// extension host, so a crash, an out-of-memory or a slow load cannot take the editor down.
import type { RuntimeInfo, WorkerRequest, WorkerResponse } from "./protocol";

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

const reply = (message: WorkerResponse) => process.send?.(message);

process.on("message", (request: WorkerRequest) => {
  probe(request.gpu).then(
    (info) => reply({ id: request.id, type: "probe", info }),
    (error: unknown) => reply({ id: request.id, type: "error", message: error instanceof Error ? error.message : String(error) }),
  );
});
