import { existsSync } from "node:fs";
import { createBackend } from "../backend/createBackend";
import { isUrlList, ModelBackend } from "../core/model/backend";
import { apiKeyFromEnvironment, modelDefaults } from "../core/model/modelDefaults";
import { UsageError } from "./lint";

export interface ModelCliOptions {
  model: string;
  parallel?: string;
  contextSize?: string;
  cpu?: boolean;
  /** Seconds one request may take in all. */
  timeout?: string;
}

export function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} wants a positive whole number, not "${value}"`);
  return n;
}

function seconds(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0 || n > 7 * 24 * 3600) throw new UsageError(`${flag} wants a number of seconds above 0 (at most a week), not "${value}"`);
  return n;
}

/** The CLI's backend: the same worker process and HTTP client as the editor's, with the same defaults. */
export function cliBackend(options: ModelCliOptions): ModelBackend {
  if (!isUrlList(options.model) && !existsSync(options.model))
    throw new UsageError(`--model: no such file ${options.model} (give a .gguf file or an http(s):// server URL)`);
  return createBackend(__dirname, {
    model: options.model,
    apiKey: apiKeyFromEnvironment(),
    contextSize: positive("--context-size", options.contextSize, modelDefaults.contextSize),
    parallel: positive("--parallel", options.parallel, modelDefaults.parallel),
    gpu: options.cpu ? false : "auto",
    stallTimeoutMs: modelDefaults.stallTimeoutSeconds * 1000,
    timeoutMs: seconds("--timeout", options.timeout, modelDefaults.timeoutSeconds) * 1000,
    timeoutSetting: "--timeout",
    log: (line) => process.stderr.write(`${line}\n`),
  });
}
