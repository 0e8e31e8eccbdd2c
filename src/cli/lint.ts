import { readFileSync } from "node:fs";
import { parseTrainingConfig } from "../core/config/trainingConfig";
import type { Diagnostic } from "../core/lint/diagnostic";
import type { TokenCounter } from "../core/tokenizers/tokenCounter";
import { sampleFileFormat, StreamOptions, validateStream } from "../core/validate/streamValidator";
import { readDataset } from "./readDataset";
import { loadModelTokenizer } from "../core/tokenizers/loadTokenizer";

export interface CliDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Diagnostic["severity"];
  rule: string;
  message: string;
}

export interface LintOptions {
  json?: boolean;
  config?: string;
  tokenizer?: string;
  maxTokens?: string;
}

const toCli = (file: string, d: Diagnostic): CliDiagnostic => ({
  file,
  line: d.line + 1,
  column: d.column + 1,
  endLine: d.endLine + 1,
  endColumn: d.endColumn + 1,
  severity: d.severity,
  rule: d.rule,
  message: d.message,
});

export class UsageError extends Error {}

async function streamOptions(options: LintOptions): Promise<{ stream: StreamOptions; dispose?: () => Promise<void> }> {
  const stream: StreamOptions = {};
  let maxTokens: number | undefined;
  if (options.config) {
    const config = parseTrainingConfig(readFileSync(options.config, "utf8"));
    Object.assign(stream, { format: config.format, layout: config.layout, roles: config.roles });
    maxTokens = config.sequenceLen;
  }
  if (options.maxTokens !== undefined) {
    maxTokens = Number(options.maxTokens);
    if (!Number.isInteger(maxTokens) || maxTokens <= 0) throw new UsageError(`--max-tokens wants a positive whole number, not "${options.maxTokens}"`);
  }
  let counter: (TokenCounter & { dispose?: () => Promise<void> }) | undefined;
  if (options.tokenizer) counter = await loadModelTokenizer(options.tokenizer);
  if (counter && maxTokens === undefined) throw new UsageError("--tokenizer needs a limit: --max-tokens N, or a --config with sequence_len");
  if (counter && maxTokens !== undefined) stream.tokens = { counter, max: maxTokens };
  return { stream, dispose: counter?.dispose };
}

export async function lintCommand(files: string[], options: LintOptions): Promise<number> {
  const { stream, dispose } = await streamOptions(options);
  const all: CliDiagnostic[] = [];
  let errors = 0;
  const emit = (cli: CliDiagnostic) => {
    if (cli.severity === "error") errors++;
    if (options.json) all.push(cli);
    else process.stdout.write(`${cli.file}:${cli.line}:${cli.column} ${cli.severity} ${cli.rule} ${cli.message}\n`);
  };
  try {
    for (const file of files) {
      try {
        const sample = await sampleFileFormat(readDataset(file), stream);
        for await (const diagnostic of validateStream(readDataset(file), sample, stream)) emit(toCli(file, diagnostic));
      } catch (error) {
        const message = `Cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
        emit({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: "error", rule: "unreadable", message });
      }
    }
  } finally {
    await dispose?.();
  }
  if (options.json) process.stdout.write(`${JSON.stringify(all)}\n`);
  return errors > 0 ? 1 : 0;
}
