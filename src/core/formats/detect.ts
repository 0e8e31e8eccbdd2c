import { isPlainObject } from "../jsonl/parseRow";
import type { FormatId } from "./formatLabels";
import type { ChatLayout } from "./layout";
import { detectionOrder } from "./registry";

export { formatIds, formatLabels } from "./formatLabels";

/** "an Alpaca row", "a ShareGPT row", "an s1K row" (said "ess-one-kay"). */
export function withArticle(label: string): string {
  return `${/^(?:[AEIOU]|s1K)/i.test(label) ? "an" : "a"} ${label}`;
}

/**
 * Detects the dataset format of one row from its keys, trying each format's module in
 * `detectionOrder` (more specific shapes first).
 */
export function detectRowFormat(row: unknown, configuredChat?: ChatLayout): FormatId | undefined {
  if (!isPlainObject(row)) return undefined;
  if (configuredChat && Object.hasOwn(row, configuredChat.field)) return configuredChat.roleKey === "from" ? "sharegpt" : "openai";
  for (const format of detectionOrder) if (format.detect(row)) return format.id;
  return undefined;
}

/** The format most rows share; `undefined` when no row looks like instruction data. */
export function dominantFormat(counts: ReadonlyMap<FormatId, number>): FormatId | undefined {
  let best: FormatId | undefined;
  let bestCount = 0;
  for (const [format, count] of counts) {
    if (count > bestCount) {
      best = format;
      bestCount = count;
    }
  }
  return best;
}
