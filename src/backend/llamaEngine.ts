// node-llama-cpp behind the worker's protocol. Runs only inside out/model-worker.js.
import { existsSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import type { ChatHistoryItem, ChatWrapper, Llama, LlamaContext, LlamaContextSequence, LlamaModel } from "node-llama-cpp";
import { GenerationRequest, GenerationResult, ModelError, StopReason } from "../core/model/backend";
import { checkGgufFile, GgufFormatError } from "../core/tokenizers/ggufHeader";
import type { LoadedModel, LoadOptions } from "../protocol/modelWorker";

type LlamaModule = typeof import("node-llama-cpp");

const stopReasons: Record<string, StopReason> = {
  eogToken: "end",
  stopGenerationTrigger: "end",
  functionCalls: "end",
  customStopTrigger: "stop",
  maxTokens: "maxTokens",
  abort: "abort",
};

function checkModelFile(path: string): void {
  if (!existsSync(path)) throw new ModelError(`The model file ${path} does not exist.`, "file");
  if (!statSync(path).isFile()) throw new ModelError(`${path} is not a file; choose a .gguf model file.`, "file");
  try {
    checkGgufFile(path);
  } catch (error) {
    if (error instanceof GgufFormatError) throw new ModelError(`${error.message}. Choose a .gguf model file (llama.cpp's format).`, "file");
    throw error;
  }
}

export class LlamaEngine {
  private module: LlamaModule | undefined;
  private llama: Llama | undefined;
  private llamaGpu: LoadOptions["gpu"] | undefined;
  private loaded: { options: LoadOptions; model: LlamaModel; context: LlamaContext; info: LoadedModel; chatWrapper: ChatWrapper } | undefined;
  private readonly waiting: Array<() => void> = [];

  private async llamaFor(gpu: LoadOptions["gpu"]): Promise<{ module: LlamaModule; llama: Llama }> {
    this.module ??= await import("node-llama-cpp");
    if (!this.llama || this.llamaGpu !== gpu) {
      await this.llama?.dispose();
      // build "never": an extension must not download or compile llama.cpp; "auto" falls back to the CPU build.
      this.llama = await this.module.getLlama({ gpu, build: "never", progressLogs: false, logLevel: this.module.LlamaLogLevel.error });
      this.llamaGpu = gpu;
    }
    return { module: this.module, llama: this.llama };
  }

  async load(options: LoadOptions, onProgress: (fraction: number) => void): Promise<LoadedModel> {
    if (this.loaded && JSON.stringify(this.loaded.options) === JSON.stringify(options)) return this.loaded.info;
    await this.unload();
    checkModelFile(options.modelPath);
    const started = performance.now();
    const { module, llama } = await this.llamaFor(options.gpu);
    const onCpu = llama.gpu === false;
    // node-llama-cpp's CPU default is max(cores, 4) threads: on a 2-core machine that was hundreds of times slower.
    const threads = onCpu ? Math.max(1, Math.min(availableParallelism(), llama.cpuMathCores)) : undefined;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: options.modelPath,
        gpuLayers: onCpu ? 0 : { fitContext: { contextSize: options.contextSize * options.sequences } },
        onLoadProgress: onProgress,
      });
    } catch (error) {
      if (error instanceof module.InsufficientMemoryError)
        throw new ModelError(`Not enough memory to load ${basename(options.modelPath)}: ${error.message}`, "memory");
      throw new ModelError(`llama.cpp could not load ${basename(options.modelPath)}: ${(error as Error).message}`, "file");
    }
    const contextSize = Math.min(options.contextSize, model.trainContextSize);
    let context: LlamaContext;
    try {
      context = await model.createContext({ contextSize, sequences: options.sequences, threads });
    } catch (error) {
      await model.dispose();
      if (error instanceof module.InsufficientMemoryError) {
        throw new ModelError(
          `Not enough memory for ${options.sequences} sequence(s) of ${contextSize} tokens: lower instructStudio.model.contextSize or instructStudio.model.parallel.`,
          "memory",
        );
      }
      throw error;
    }
    const info: LoadedModel = {
      name: model.fileInfo.metadata?.general?.name ?? basename(options.modelPath),
      device: onCpu ? "cpu" : String(llama.gpu),
      contextSize: context.contextSize,
      sequences: options.sequences,
      threads,
      gpuLayers: model.gpuLayers,
      loadMs: performance.now() - started,
      pid: process.pid,
    };
    // LlamaChat resolves the model's chat wrapper on every construction (for a Jinja template it
    // renders test conversations through it): measured 330-570 ms per request on a tiny model.
    // Resolved once per load, a request costs what node-llama-cpp's own session costs.
    const chatWrapper = module.resolveChatWrapper(model);
    this.loaded = { options, model, context, info, chatWrapper };
    return info;
  }

  /** One sequence of the context per request; requests past the count wait their turn. */
  private async sequence(context: LlamaContext): Promise<LlamaContextSequence> {
    while (context.sequencesLeft === 0) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return context.getSequence();
  }

  async generate(request: GenerationRequest, onText: (chunk: string) => void, signal: AbortSignal): Promise<GenerationResult> {
    if (!this.loaded) throw new ModelError("No model is loaded.", "file");
    const { model, context } = this.loaded;
    const module = this.module!;
    const started = performance.now();
    let firstTokenMs: number | undefined;
    const onTextChunk = (text: string) => {
      firstTokenMs ??= performance.now() - started;
      onText(text);
    };
    let completionTokens = 0;
    const onToken = (tokens: readonly unknown[]) => (completionTokens += tokens.length);
    const sampling = {
      maxTokens: request.maxTokens,
      temperature: request.temperature ?? 0,
      topP: request.topP,
      seed: request.seed,
      signal,
      stopOnAbortSignal: true,
      onTextChunk,
      onToken,
    };
    const grammar = request.schema ? await this.loaded.model.llama.createGrammarForJsonSchema(request.schema as never) : undefined;
    const sequence = await this.sequence(context);
    try {
      if (request.prompt !== undefined) {
        const completion = new module.LlamaCompletion({ contextSequence: sequence });
        const promptTokens = model.tokenize(request.prompt).length + 1;
        this.checkFits(promptTokens, request.maxTokens);
        const { response, metadata } = await completion.generateCompletionWithMeta(request.prompt, { ...sampling, grammar, customStopTriggers: request.stop });
        return {
          text: response,
          stopReason: stopReasons[metadata.stopReason] ?? "end",
          promptTokens,
          completionTokens,
          firstTokenMs,
          totalMs: performance.now() - started,
        };
      }
      const chat = new module.LlamaChat({ contextSequence: sequence, chatWrapper: this.loaded.chatWrapper });
      const history = toHistory(request);
      const promptTokens = chat.chatWrapper.generateContextState({ chatHistory: history }).contextText.tokenize(model.tokenizer).length;
      this.checkFits(promptTokens, request.maxTokens);
      const { response, metadata } = await chat.generateResponse(history, { ...sampling, grammar });
      return {
        text: response,
        stopReason: stopReasons[metadata.stopReason] ?? "end",
        promptTokens,
        completionTokens,
        firstTokenMs,
        totalMs: performance.now() - started,
      };
    } finally {
      sequence.dispose();
      this.waiting.shift()?.();
    }
  }

  /** node-llama-cpp would silently drop the start of an over-long prompt: refuse it instead. */
  private checkFits(promptTokens: number, maxTokens: number): void {
    const contextSize = this.loaded!.info.contextSize;
    if (promptTokens + maxTokens > contextSize) {
      throw new ModelError(
        `The prompt is ${promptTokens.toLocaleString("en-US")} tokens; with up to ${maxTokens.toLocaleString("en-US")} tokens of reply it does not fit the context of ${contextSize.toLocaleString("en-US")} tokens. Shorten the entry or raise instructStudio.model.contextSize.`,
        "context",
      );
    }
  }

  async unload(): Promise<void> {
    const loaded = this.loaded;
    this.loaded = undefined;
    if (!loaded) return;
    await loaded.context.dispose();
    await loaded.model.dispose();
  }
}

function toHistory(request: GenerationRequest): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = [];
  for (const turn of request.messages ?? []) {
    if (turn.role === "system") history.push({ type: "system", text: turn.content });
    else if (turn.role === "user") history.push({ type: "user", text: turn.content });
    else history.push({ type: "model", response: [turn.content] });
  }
  // A final assistant turn is continued; otherwise the model starts a new one.
  if (!request.continueLastTurn || history[history.length - 1]?.type !== "model") history.push({ type: "model", response: [] });
  return history;
}
