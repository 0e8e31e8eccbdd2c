import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { configSizeProblem, parseTrainingConfig, TrainingConfig } from "../core/config/trainingConfig";
import type { ConfigParsed } from "../protocol/configWorker";

/** Configs up to this size (every real one: they are a few KB) are parsed at once, in well under 50 ms. */
const inlineConfigBytes = 64 * 1024;

export interface ConfigRead {
  config?: TrainingConfig;
  configError?: string;
  /** A large config is being parsed in a worker thread; the settings are read again when it is done. */
  configPending?: string;
}

/**
 * Reads the training config for the settings. A config past `inlineConfigBytes` is parsed in a
 * worker thread and its result kept by size and modification time: the first read says it is
 * pending, and `onParsed` asks for the settings to be read again.
 */
export class ConfigLoader {
  private readonly parsed = new Map<string, { stamp: string; result: ConfigRead }>();
  private readonly running = new Set<string>();

  constructor(
    private readonly onParsed: () => void,
    private readonly script = join(__dirname, "config-worker.js"),
  ) {}

  read(path: string | undefined): ConfigRead {
    if (!path) return {};
    const failed = (message: string): ConfigRead => ({ configError: `Instruct Studio cannot use the training config ${path}: ${message}` });
    try {
      const { size, mtimeMs } = statSync(path);
      const tooBig = configSizeProblem(size);
      if (tooBig) return failed(tooBig);
      if (size <= inlineConfigBytes) return { config: parseTrainingConfig(readFileSync(path, "utf8")) };
      const stamp = `${size}:${mtimeMs}`;
      const known = this.parsed.get(path);
      if (known?.stamp === stamp) return known.result;
      this.parseInWorker(path, stamp, failed);
      return { configPending: `parsing the training config ${path} (${(size / 1024).toFixed(0)} KB) in a worker thread` };
    } catch (error) {
      return failed((error as Error).message);
    }
  }

  private parseInWorker(path: string, stamp: string, failed: (message: string) => ConfigRead): void {
    const job = `${path}\n${stamp}`;
    if (this.running.has(job)) return;
    this.running.add(job);
    const worker = new Worker(this.script, { workerData: path, resourceLimits: { maxOldGenerationSizeMb: 1024 } });
    let done = false;
    const finish = (result: ConfigRead) => {
      if (done) return;
      done = true;
      this.running.delete(job);
      this.parsed.set(path, { stamp, result });
      void worker.terminate();
      this.onParsed();
    };
    worker.on("message", (message: ConfigParsed) => finish(message.config ? { config: message.config } : failed(message.error ?? "it could not be parsed")));
    worker.on("error", (error) => finish(failed(error.message)));
    worker.on("exit", (code) => finish(failed(`parsing it stopped (exit ${code})`)));
  }
}
