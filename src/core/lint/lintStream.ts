import type { ReadLine } from "../jsonl/lineReader";
import type { Diagnostic } from "./diagnostic";
import { checkRowSyntax } from "./syntaxRules";

/** Lints a dataset read line by line, yielding diagnostics as it goes (bounded memory). */
export async function* lintStream(lines: AsyncIterable<ReadLine>): AsyncGenerator<Diagnostic> {
  for await (const line of lines) {
    const index = line.lineNumber - 1;
    if (line.tooLong) {
      yield {
        line: index, column: 0, endLine: index, endColumn: 1, severity: "error", rule: "line-too-long",
        message: `Line of ${line.byteLength.toLocaleString("en-US")} bytes is too long to check; split or shorten the row.`,
      };
      continue;
    }
    if (line.invalidUtf8) {
      yield {
        line: index, column: 0, endLine: index, endColumn: Math.max(1, line.text.length), severity: "error", rule: "invalid-utf8",
        message: "Line is not valid UTF-8; re-encode the file as UTF-8 (the bad bytes show as \uFFFD).",
      };
    }
    yield* checkRowSyntax(line.text, index).diagnostics;
  }
}
