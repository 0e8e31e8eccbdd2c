import { existsSync } from "node:fs";
import { createBackend } from "../backend/createBackend";
import { isUrl, ModelBackend } from "../core/model/backend";
import { UsageError } from "./lint";

export interface ModelCliOptions {
  model: string;
  parallel?: string;
  contextSize?: string;
  cpu?: boolean;
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${flag} wants a positive whole number, not "${value}"`);
  return n;
}

/** The CLI's backend: the same worker process and HTTP client as the editor's. */
export function cliBackend(options: ModelCliOptions): ModelBackend {
  if (!isUrl(options.model) && !existsSync(options.model)) throw new UsageError(`--model: no such file ${options.model} (give a .gguf file or an http(s):// server URL)`);
  return createBackend(__dirname, {
    model: options.model,
    apiKey: process.env.INSTRUCT_STUDIO_API_KEY,
    contextSize: positive("--context-size", options.contextSize, 8192),
    parallel: positive("--parallel", options.parallel, 2),
    gpu: options.cpu ? false : "auto",
    stallTimeoutMs: 120_000,
    log: (line) => process.stderr.write(`${line}\n`),
  });
}
