import type { Diagnostic } from "../core/lint/diagnostic";
import { lintStream } from "../core/lint/lintStream";
import { readDataset } from "./readDataset";

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

export async function lintCommand(files: string[], options: { json?: boolean }): Promise<number> {
  const all: CliDiagnostic[] = [];
  let errors = 0;
  for (const file of files) {
    try {
      for await (const diagnostic of lintStream(readDataset(file))) {
        const cli = toCli(file, diagnostic);
        if (cli.severity === "error") errors++;
        if (options.json) all.push(cli);
        else process.stdout.write(`${file}:${cli.line}:${cli.column} ${cli.severity} ${cli.rule} ${cli.message}\n`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const cli: CliDiagnostic = { file, line: 1, column: 1, endLine: 1, endColumn: 1, severity: "error", rule: "unreadable", message: `Cannot read the file: ${message}` };
      errors++;
      if (options.json) all.push(cli);
      else process.stdout.write(`${file}:1:1 error unreadable ${cli.message}\n`);
    }
  }
  if (options.json) process.stdout.write(`${JSON.stringify(all)}\n`);
  return errors > 0 ? 1 : 0;
}
