import { formatModules } from "../formats/registry";
import type { RowContext } from "../formats/rowContext";
import type { TextField } from "../formats/textFieldHelpers";

export { isInputField, pathName, turnFields } from "../formats/textFieldHelpers";
export type { FieldRole, TextField } from "../formats/textFieldHelpers";

/** The strings of a row a trainer reads, each with its role: what the content rules check. */
export function textFields(ctx: RowContext): TextField[] {
  return formatModules[ctx.format].textFields(ctx);
}
