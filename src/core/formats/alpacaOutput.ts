/**
 * The key of an Alpaca-style row's answer: `output`, or `response` in GPTeacher's layout (Axolotl's
 * `type: gpteacher`: instruction, input, response), when the row has no `output`.
 */
export function alpacaOutputKey(row: Record<string, unknown>): "output" | "response" {
  return !Object.hasOwn(row, "output") && Object.hasOwn(row, "response") ? "response" : "output";
}

/** The answer of an Alpaca or GPTeacher row. */
export function alpacaOutput(row: Record<string, unknown>): unknown {
  return row[alpacaOutputKey(row)];
}
