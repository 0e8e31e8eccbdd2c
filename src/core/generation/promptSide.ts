import type { FormatId } from "../formats/formatLabels";
import type { ChatLayout, RoleAliases } from "../formats/layout";
import { formatModules } from "../formats/registry";

/** The instruction a row asks (what Self-Instruct's filters look at) and the answer it gives. */
export function instructionAndAnswer(
  row: Record<string, unknown>,
  format: FormatId,
  layout?: ChatLayout,
  roles?: RoleAliases,
): { instruction: string; input: string; answer: string } {
  return formatModules[format].instructionAndAnswer(row, layout, roles);
}
