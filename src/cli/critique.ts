import { detectRowFormat, formatLabels } from "../core/formats/detect";
import { critiquePrompt, critiqueSchema, parseCritique } from "../core/generation/critique";
import { isPlainObject, parseRow } from "../core/jsonl/parseRow";
import { critiqueMaxTokens } from "../core/model/modelDefaults";
import { escapeControls } from "./output";
import { UsageError } from "./lint";
import { cliBackend, ModelCliOptions } from "./modelCli";
import { readDataset } from "./readDataset";

export interface CritiqueCliOptions extends ModelCliOptions {
  line: string;
  json?: boolean;
}

export async function critiqueCommand(file: string, options: CritiqueCliOptions): Promise<number> {
  const lineNumber = Number(options.line);
  if (!Number.isInteger(lineNumber) || lineNumber < 1) throw new UsageError(`--line wants a line number from 1, not "${options.line}"`);
  let text: string | undefined;
  for await (const line of readDataset(file)) {
    if (line.lineNumber !== lineNumber) continue;
    if (line.tooLong) throw new UsageError(`${file}:${lineNumber} is longer than the CLI reads (16 MB)`);
    text = line.text;
    break;
  }
  if (text === undefined) throw new UsageError(`${file} has no line ${lineNumber}`);
  const parsed = parseRow(text);
  const format = parsed.kind === "value" && parsed.errors.length === 0 && isPlainObject(parsed.value) ? detectRowFormat(parsed.value) : undefined;
  if (!format) {
    process.stderr.write(`${file}:${lineNumber}: not an instruction row (invalid JSON or an unknown format); nothing to critique\n`);
    return 1;
  }
  const backend = cliBackend(options);
  try {
    const result = await backend.generate({ messages: critiquePrompt(text, formatLabels[format]), schema: critiqueSchema, maxTokens: critiqueMaxTokens, temperature: 0 });
    if (result.stopReason === "maxTokens") throw new UsageError(`the model's critique was cut off at ${critiqueMaxTokens} tokens`);
    const { score, rationale, issues } = parseCritique(result.text);
    if (options.json) process.stdout.write(`${JSON.stringify({ score, rationale, issues })}\n`);
    // The model's text is shown with its control characters escaped: a reply must not drive the terminal.
    else process.stdout.write(`score: ${score}/5\n${escapeControls(rationale)}\n${issues.map((i) => escapeControls(`- ${i.field}: ${i.problem}${i.suggestion ? ` → ${i.suggestion}` : ""}`)).join("\n")}\n`);
    return 0;
  } finally {
    backend.dispose();
  }
}
