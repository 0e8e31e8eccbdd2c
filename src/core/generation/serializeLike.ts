/**
 * Serializes a row on one line in the style of the file's existing rows: Python's `json.dumps`
 * default (`", "` and `": "`, as most published datasets are written) or compact `JSON.stringify`.
 * Non-ASCII text stays as is, as both styles keep it when written with `ensure_ascii=False`.
 */
export interface JsonStyle {
  spaced: boolean;
}

export function styleOf(sampleLine: string | undefined): JsonStyle {
  return { spaced: sampleLine !== undefined && /^\{\s*"(?:[^"\\]|\\.)*": /.test(sampleLine) };
}

function write(value: unknown, style: JsonStyle): string {
  if (Array.isArray(value)) return `[${value.map((v) => write(v ?? null, style)).join(style.spaced ? ", " : ",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}${style.spaced ? ": " : ":"}${write(v, style)}`).join(style.spaced ? ", " : ",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function serializeLike(value: unknown, style: JsonStyle): string {
  return write(value, style);
}
