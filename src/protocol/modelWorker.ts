// Messages between the extension host (or the CLI) and the model worker process
// (out/model-worker.js), where node-llama-cpp runs.
import type { GenerationRequest, GenerationResult, ModelError } from "../core/model/backend";

export interface RuntimeInfo {
  /** The llama.cpp build that loaded: "cpu", "cuda", "vulkan" or "metal". */
  backend: string;
  llamaCppRelease: string;
  loadMs: number;
  /** The worker's process id: never the extension host's. */
  pid: number;
}

export interface LoadOptions {
  modelPath: string;
  /** Tokens of context per sequence; capped at the model's training context. */
  contextSize: number;
  /** Sequences of the one context: requests generated in parallel. */
  sequences: number;
  gpu: "auto" | false;
}

export interface LoadedModel {
  name: string;
  device: string;
  contextSize: number;
  sequences: number;
  threads?: number;
  gpuLayers: number;
  loadMs: number;
  pid: number;
}

export type ModelWorkerRequest =
  | { id: number; type: "probe"; gpu: boolean }
  | { id: number; type: "load"; options: LoadOptions }
  | { id: number; type: "generate"; request: GenerationRequest }
  | { id: number; type: "cancel"; target: number }
  | { id: number; type: "unload" };

export type ModelWorkerResponse =
  | { id: number; type: "probe"; info: RuntimeInfo }
  | { id: number; type: "progress"; fraction: number }
  | { id: number; type: "chunk"; text: string }
  | { id: number; type: "loaded"; model: LoadedModel }
  | { id: number; type: "generated"; result: GenerationResult }
  | { id: number; type: "unloaded" }
  | { id: number; type: "error"; message: string; kind: ModelError["kind"] };

/** Progress and text chunks arrive before a request's final answer. */
export const isModelEvent = (message: ModelWorkerResponse) => message.type === "progress" || message.type === "chunk";
