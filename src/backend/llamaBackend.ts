import { basename, join } from "node:path";
import { RequestDeadline, startDeadline } from "../core/model/deadline";
import { GenerationRequest, GenerationResult, ModelBackend, ModelError, ModelInfo } from "../core/model/backend";
import { isModelEvent, LoadedModel, LoadOptions, ModelWorkerRequest, ModelWorkerResponse, RuntimeInfo } from "../protocol/modelWorker";
import { WorkerProcess, WorkerTimeoutError } from "../workers/workerProcess";

export interface LlamaBackendOptions extends LoadOptions {
  /** A worker silent for this long (no token, no progress) is taken as hung and restarted. */
  stallTimeoutMs: number;
  /** The longest one request may take in all. */
  deadline?: RequestDeadline;
  log?: (line: string) => void;
}

type Answer<T extends ModelWorkerResponse["type"]> = Extract<ModelWorkerResponse, { type: T }>;

/** node-llama-cpp in its own process (out/model-worker.js): a crash there is a message here. */
export class LlamaWorkerBackend implements ModelBackend {
  private readonly process: WorkerProcess<ModelWorkerRequest, ModelWorkerResponse>;
  private loaded: LoadedModel | undefined;
  private loading: Promise<ModelInfo> | undefined;

  constructor(
    outDir: string,
    private readonly options: LlamaBackendOptions,
  ) {
    this.process = new WorkerProcess(join(outDir, "model-worker.js"), "model", undefined, isModelEvent);
    this.process.onExit = () => {
      if (this.loaded) this.options.log?.(`The model process exited; ${basename(this.options.modelPath)} will load again on the next command.`);
      this.loaded = undefined;
    };
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  info(): ModelInfo {
    return {
      label: basename(this.options.modelPath),
      kind: "llama.cpp",
      device: this.loaded?.device ?? (this.options.gpu === false ? "cpu" : "auto"),
      loaded: this.loaded !== undefined,
      contextSize: this.loaded?.contextSize,
      parallel: this.options.sequences,
    };
  }

  private async call<T extends ModelWorkerResponse["type"]>(
    body: Parameters<WorkerProcess<ModelWorkerRequest, ModelWorkerResponse>["request"]>[0],
    expect: T,
    options: Parameters<WorkerProcess<ModelWorkerRequest, ModelWorkerResponse>["request"]>[1] = {},
  ): Promise<Answer<T>> {
    let response: ModelWorkerResponse;
    try {
      response = await this.process.request(body, options);
    } catch (error) {
      if (error instanceof WorkerTimeoutError) throw new ModelError(error.message, "hung");
      throw new ModelError(`${(error as Error).message}. Nothing was written; the next command starts it again.`, "crashed");
    }
    if (response.type === "error") throw new ModelError(response.message, response.kind);
    if (response.type !== expect) throw new ModelError(`The model process answered "${response.type}" to a ${body.type} request.`, "crashed");
    return response as Answer<T>;
  }

  prepare(onProgress?: (fraction: number) => void): Promise<ModelInfo> {
    if (this.loaded && this.process.running) return Promise.resolve(this.info());
    this.loading ??= (async () => {
      const { modelPath, contextSize, sequences, gpu } = this.options;
      try {
        const { model } = await this.call({ type: "load", options: { modelPath, contextSize, sequences, gpu } }, "loaded", {
          inactivityMs: this.options.stallTimeoutMs,
          onEvent: (event) => event.type === "progress" && onProgress?.(event.fraction),
        });
        this.loaded = model;
        this.options.log?.(
          `Loaded ${model.name} on ${model.device} in ${Math.round(model.loadMs)} ms: context ${model.contextSize} tokens × ${model.sequences} sequence(s), ${model.gpuLayers} GPU layers${model.threads ? `, ${model.threads} threads` : ""}, worker pid ${model.pid}.`,
        );
        return this.info();
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  async generate(request: GenerationRequest, onText?: (chunk: string) => void, signal?: AbortSignal): Promise<GenerationResult> {
    if (signal?.aborted) throw new ModelError("Cancelled.", "cancelled");
    await this.prepare();
    let requestId: number | undefined;
    const cancel = () => requestId !== undefined && this.process.notify({ type: "cancel", target: requestId });
    signal?.addEventListener("abort", cancel);
    let expired: ModelError | undefined;
    const endDeadline = startDeadline(this.options.deadline, (error) => {
      expired = error;
      cancel();
    });
    try {
      const { result } = await this.call({ type: "generate", request }, "generated", {
        inactivityMs: this.options.stallTimeoutMs,
        onEvent: (event) => event.type === "chunk" && onText?.(event.text),
        onSent: (id) => (requestId = id),
      });
      if (expired) throw expired;
      return result;
    } catch (error) {
      throw expired ?? error;
    } finally {
      endDeadline();
      signal?.removeEventListener("abort", cancel);
    }
  }

  async probe(gpu: boolean): Promise<RuntimeInfo> {
    return (await this.call({ type: "probe", gpu }, "probe")).info;
  }

  async unload(): Promise<void> {
    if (!this.process.running) return;
    await this.call({ type: "unload" }, "unloaded");
    this.loaded = undefined;
  }

  dispose(): void {
    this.process.dispose();
    this.loaded = undefined;
  }
}
