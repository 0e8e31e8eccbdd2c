// Messages between the extension host and the model worker process (out/model-worker.js).
export type WorkerRequest = { id: number; type: "probe"; gpu: boolean };

export interface RuntimeInfo {
  /** The llama.cpp build that loaded: "cpu", "cuda", "vulkan" or "metal". */
  backend: string;
  llamaCppRelease: string;
  loadMs: number;
  /** The worker's process id: never the extension host's. */
  pid: number;
}

export type WorkerResponse =
  | { id: number; type: "probe"; info: RuntimeInfo }
  | { id: number; type: "error"; message: string };
