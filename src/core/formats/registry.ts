import { alpacaFormat } from "./alpaca";
import { openaiFormat, sharegptFormat } from "./chat";
import type { FormatModule } from "./formatModule";
import type { FormatId } from "./formatLabels";
import { genstructFormat } from "./genstruct";
import { inputOutputFormat } from "./inputOutput";
import { preferenceFormat } from "./preference";
import { ktoFormat, promptCompletionFormat } from "./promptCompletion";
import { s1kFormat } from "./s1k";
import type { FormatSchema } from "./schema";
import { selfInstructFormat } from "./selfInstruct";
import { textFormat } from "./text";

/** Every format's module, by id. */
export const formatModules: Record<FormatId, FormatModule> = {
  alpaca: alpacaFormat,
  sharegpt: sharegptFormat,
  openai: openaiFormat,
  "prompt-completion": promptCompletionFormat,
  preference: preferenceFormat,
  kto: ktoFormat,
  s1k: s1kFormat,
  genstruct: genstructFormat,
  "self-instruct": selfInstructFormat,
  "input-output": inputOutputFormat,
  text: textFormat,
};

/**
 * The order formats are recognised in: more specific shapes (preference, KTO, s1K,
 * Self-Instruct) before the generic ones they contain.
 */
export const detectionOrder: readonly FormatModule[] = [
  inputOutputFormat,
  sharegptFormat,
  preferenceFormat,
  ktoFormat,
  openaiFormat,
  s1kFormat,
  selfInstructFormat,
  alpacaFormat,
  promptCompletionFormat,
  genstructFormat,
  textFormat,
];

/** Top-level fields per format. */
export const formatSchemas = Object.fromEntries(Object.values(formatModules).map((m) => [m.id, m.schema])) as Record<FormatId, FormatSchema>;
