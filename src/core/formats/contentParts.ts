import { isPlainObject } from "../jsonl/parseRow";

/**
 * The key holding a content part's text: OpenAI's `{"type": "text", "text": ...}`, or
 * LLaMA-Factory's `{"type": "text", "value": ...}`; undefined for images and other media.
 */
export function partTextKey(part: unknown): "text" | "value" | undefined {
  if (!isPlainObject(part)) return undefined;
  if (typeof part.text === "string") return "text";
  if (typeof part.value === "string" && (part.type === undefined || part.type === "text")) return "value";
  return undefined;
}

/** The text parts of a content list, joined as trainers join them. */
export function partsText(parts: unknown[]): string {
  return parts
    .map((part) => {
      const key = partTextKey(part);
      return key ? ((part as Record<string, string>)[key] ?? "") : "";
    })
    .filter((t) => t !== "")
    .join("\n");
}
