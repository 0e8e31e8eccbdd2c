/** A YAML value read as the trainers' argument parsers read it: a non-empty string, a boolean, or nothing. */
export const stringOr = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
export const booleanOf = (v: unknown) => (typeof v === "boolean" ? v : undefined);
