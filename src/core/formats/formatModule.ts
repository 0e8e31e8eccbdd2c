import type { Converted, Turn } from "../convert/turns";
import type { ChatRoleNames } from "./entrySchemaHelpers";
import type { ResponseTarget } from "./responseHelpers";
import type { JsonSchema } from "../model/backend";
import type { TrainingInput } from "./inputHelpers";
import type { InputOptions } from "./instructionTypes";
import type { RowContext } from "./rowContext";
import type { TextField } from "./textFieldHelpers";
import type { FormatId } from "./formatLabels";
import type { ChatLayout, RoleAliases } from "./layout";
import type { RowPart } from "./rowParts";
import type { FormatSchema } from "./schema";

export interface InstructionAndAnswer {
  instruction: string;
  input: string;
  answer: string;
}

/**
 * Everything the product knows about one dataset format, in one place: how its rows are
 * recognised, which fields they have, what a trainer reads and builds from them, and how the
 * model commands find their instruction and response. Adding a layout is adding one of these
 * (and its id in formatLabels.ts).
 */
export interface FormatModule {
  id: FormatId;
  /** Whether a row's keys are this format's (tried in `detectionOrder`). */
  detect(row: Record<string, unknown>): boolean;
  /** Its top-level fields; chat turns are checked apart. */
  schema: FormatSchema;
  /** The strings a trainer reads, each with its role: what the content rules check. */
  textFields(ctx: RowContext): TextField[];
  /** What the trainer builds from a row: a conversation for the chat template, or prompt and completion text. */
  trainingInput(row: Record<string, unknown>, options: InputOptions, notes: string[]): TrainingInput | undefined;
  /** The row's pieces for summaries, reports and duplicate keys. */
  parts(row: Record<string, unknown>): RowPart[];
  /** The instruction it asks (what Self-Instruct's filters look at) and the answer it gives. */
  instructionAndAnswer(row: Record<string, unknown>, layout?: ChatLayout, roles?: RoleAliases): InstructionAndAnswer;
  /** Where its response is, for the model's rewrite; a string says why there is none. */
  responseTarget(row: Record<string, unknown>, layout?: ChatLayout, roles?: RoleAliases): ResponseTarget | string;
  /** The JSON schema of one generated entry; undefined where none fits. */
  entrySchema(layout?: ChatLayout, names?: ChatRoleNames): JsonSchema | undefined;
  /** For the formats the converter reads and writes: the row as turns, and turns as a row. */
  conversion?: {
    toTurns(row: Record<string, unknown>, configured: { layout?: ChatLayout; roles?: RoleAliases }): Turn[] | string;
    fromTurns(turns: Turn[]): Converted;
  };
}
