/**
 * Python's `json.dumps(value, ensure_ascii=False)`: ", " and ": " between items, non-ASCII text
 * kept. LLaMA-Factory writes tool calls and tool lists with it. Written here because JSON.stringify
 * puts no spaces. A float that is whole (1.0) was read by JSON.parse as 1 and is written as 1.
 */
export function pythonJsonDumps(value: unknown, indent?: number, depth = 0): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") return Number.isFinite(value) ? JSON.stringify(value) : value > 0 ? "Infinity" : value < 0 ? "-Infinity" : "NaN";
  if (typeof value === "boolean") return value ? "true" : "false";
  const items = Array.isArray(value)
    ? value.map((v) => pythonJsonDumps(v, indent, depth + 1))
    : typeof value === "object"
      ? Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonJsonDumps(v, indent, depth + 1)}`)
      : undefined;
  if (!items) return JSON.stringify(String(value));
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"];
  if (items.length === 0) return open + close;
  // With indent, Python puts each item on its own line and "," (no space) between them.
  if (indent === undefined) return `${open}${items.join(", ")}${close}`;
  const inner = "\n" + " ".repeat(indent * (depth + 1));
  return `${open}${inner}${items.join(`,${inner}`)}\n${" ".repeat(indent * depth)}${close}`;
}
