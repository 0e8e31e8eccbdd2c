import { join } from "node:path";
import type { RuntimeInfo, WorkerRequest, WorkerResponse } from "./protocol";
import { WorkerProcess } from "./workerProcess";

/** The extension's side of the model backend: node-llama-cpp runs in out/model-worker.js. */
export class ModelHost {
  private readonly process: WorkerProcess<WorkerRequest, WorkerResponse>;

  constructor(outDir: string) {
    this.process = new WorkerProcess(join(outDir, "model-worker.js"), "model");
  }

  async probe(gpu = false): Promise<RuntimeInfo> {
    const response = await this.process.request({ type: "probe", gpu });
    if (response.type === "error") throw new Error(response.message);
    return response.info;
  }

  dispose(): void {
    this.process.dispose();
  }
}
