// Generation through the extension's path (the model worker process, its protocol and streaming)
// against node-llama-cpp called directly in this process, on the same model and request.
import { mkdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { LlamaWorkerBackend } from "../src/backend/llamaBackend";
import type { GenerationRequest } from "../src/core/model/backend";
import { repoRoot } from "../test/launch/paths";
import { writeTinyModel } from "../test/support/tinyModel";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

interface Run {
  firstTokenMs: number;
  tokensPerSecond: number;
}

export async function modelOverhead(runs = 5): Promise<Record<string, number>> {
  const dir = join(repoRoot, ".bench");
  mkdirSync(dir, { recursive: true });
  const modelPath = join(dir, "bench-model.gguf");
  // 8 blocks of width 512 (about 100 MB of F32 weights): each token costs real matrix work. No
  // end-of-turn logit, so every run generates exactly maxTokens.
  writeTinyModel(modelPath, { embd: 512, blocks: 8, endLogit: -30 });
  const maxTokens = 200;
  const request: GenerationRequest = {
    messages: [{ role: "user", content: "Write a long story about a river. ".repeat(8) }],
    maxTokens,
    temperature: 0.7,
    seed: 1,
  };

  const { getLlama, LlamaChat } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, build: "never", progressLogs: false });
  const threads = Math.max(1, Math.min(availableParallelism(), llama.cpuMathCores));
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({ contextSize: 2048, sequences: 1, threads });
  const direct = async (): Promise<Run> => {
    const sequence = context.getSequence();
    const chat = new LlamaChat({ contextSequence: sequence });
    const started = performance.now();
    let first: number | undefined;
    let tokens = 0;
    await chat.generateResponse(
      [
        { type: "user", text: request.messages![0].content },
        { type: "model", response: [] },
      ],
      {
        maxTokens,
        temperature: 0.7,
        seed: 1,
        onTextChunk: () => (first ??= performance.now()),
        onToken: (t) => (tokens += t.length),
      },
    );
    const end = performance.now();
    chat.dispose();
    sequence.dispose();
    return { firstTokenMs: first! - started, tokensPerSecond: tokens / ((end - first!) / 1000) };
  };

  const backend = new LlamaWorkerBackend(join(repoRoot, "out"), { modelPath, contextSize: 2048, sequences: 1, gpu: false, stallTimeoutMs: 120_000 });
  await backend.prepare();
  const viaWorker = async (): Promise<Run> => {
    const started = performance.now();
    let first: number | undefined;
    const result = await backend.generate(request, () => (first ??= performance.now()));
    const end = performance.now();
    return { firstTokenMs: first! - started, tokensPerSecond: result.completionTokens! / ((end - first!) / 1000) };
  };

  await direct();
  await viaWorker();
  const directRuns: Run[] = [];
  const workerRuns: Run[] = [];
  for (let i = 0; i < runs; i++) {
    directRuns.push(await direct());
    workerRuns.push(await viaWorker());
  }
  backend.dispose();
  await context.dispose();
  await model.dispose();
  await llama.dispose();
  const directFirst = median(directRuns.map((r) => r.firstTokenMs));
  const workerFirst = median(workerRuns.map((r) => r.firstTokenMs));
  const directTps = median(directRuns.map((r) => r.tokensPerSecond));
  const workerTps = median(workerRuns.map((r) => r.tokensPerSecond));
  // Each pair ran back to back: the median of the pairs' ratios cancels the machine's drift between pairs.
  const pairRatio = (f: (direct: Run, worker: Run) => number) => median(directRuns.map((d, i) => f(d, workerRuns[i])));
  return {
    runs,
    maxTokens,
    threads,
    pairedFirstTokenOverhead: pairRatio((d, w) => w.firstTokenMs / d.firstTokenMs - 1),
    pairedThroughputOverhead: pairRatio((d, w) => d.tokensPerSecond / w.tokensPerSecond - 1),
    directFirstTokenMs: directFirst,
    workerFirstTokenMs: workerFirst,
    firstTokenOverhead: workerFirst / directFirst - 1,
    directTokensPerSecond: directTps,
    workerTokensPerSecond: workerTps,
    throughputOverhead: directTps / workerTps - 1,
  };
}
