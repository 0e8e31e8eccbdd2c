import { formatModules } from "../formats/registry";
import type { RowContext } from "./rowContext";
import type { TextField } from "./textFieldHelpers";

export { isInputField, pathName, turnFields } from "./textFieldHelpers";
export type { FieldRole, TextField } from "./textFieldHelpers";

/** The strings of a row a trainer reads, each with its role: what the content rules check. */
export function textFields(ctx: RowContext): TextField[] {
  return formatModules[ctx.format].textFields(ctx);
}
