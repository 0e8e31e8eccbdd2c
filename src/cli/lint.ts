import { parseTrainingConfig } from "../core/config/trainingConfig";
import type { Diagnostic } from "../core/lint/diagnostic";
import type { TokenCounter } from "../core/tokenizers/tokenCounter";
import { StreamOptions, validateLines } from "../core/validate/streamValidator";
import { readConfigFile } from "./configFile";
import { BufferedOutput, escapeControls, stdoutClosed } from "./output";
import { isStdin, readDataset } from "./readDataset";
import { loadTokenizerForCli } from "./tokenizerFile";

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

import { UsageError } from "./usageError";
export { UsageError };

async function streamOptions(options: LintOptions): Promise<{ stream: StreamOptions; dispose?: () => Promise<void> }> {
  const stream: StreamOptions = {};
  let maxTokens: number | undefined;
  if (options.config) {
    const config = parseTrainingConfig(readConfigFile(options.config));
    Object.assign(stream, { format: config.format, layout: config.layout, roles: config.roles });
    maxTokens = config.sequenceLen;
  }
  if (options.maxTokens !== undefined) {
    maxTokens = Number(options.maxTokens);
    if (!Number.isInteger(maxTokens) || maxTokens <= 0) throw new UsageError(`--max-tokens wants a positive whole number, not "${options.maxTokens}"`);
  }
  let counter: (TokenCounter & { dispose?: () => Promise<void> }) | undefined;
  if (options.tokenizer) counter = await loadTokenizerForCli(options.tokenizer);
  if (counter && maxTokens === undefined) throw new UsageError("--tokenizer needs a limit: --max-tokens N, or a --config with sequence_len");
  if (counter && maxTokens !== undefined) stream.tokens = { counter, max: maxTokens };
  return { stream, dispose: counter?.dispose };
}

export async function lintCommand(files: string[], options: LintOptions): Promise<number> {
  if (files.filter(isStdin).length > 1) throw new UsageError("standard input (-) can be read only once");
  const { stream, dispose } = await streamOptions(options);
  let errors = 0;
  let printed = 0;
  const out = new BufferedOutput();
  // --json streams its array: millions of findings are never held at once.
  const emit = async (cli: CliDiagnostic) => {
    if (cli.severity === "error") errors++;
    if (options.json) await out.push(`${printed++ === 0 ? "[\n" : ",\n"}${JSON.stringify(cli)}`);
    else await out.push(`${escapeControls(`${cli.file}:${cli.line}:${cli.column} ${cli.severity} ${cli.rule} ${cli.message}`)}\n`);
  };
  try {
    for (const file of files) {
      try {
        for await (const diagnostic of validateLines(readDataset(file), stream)) {
          await emit(toCli(file, diagnostic));
          // Nobody reads on, and the exit status is settled: stop reading.
          if (stdoutClosed() && errors > 0) return 1;
        }
      } catch (error) {
        const message = `Cannot read the file: ${error instanceof Error ? error.message : String(error)}`;
        await emit({ file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: "error", rule: "unreadable", message });
      }
    }
  } finally {
    await dispose?.();
  }
  if (options.json) await out.push(printed === 0 ? "[]\n" : "\n]\n");
  await out.flush();
  return errors > 0 ? 1 : 0;
}
