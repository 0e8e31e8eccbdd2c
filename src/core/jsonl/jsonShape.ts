import { visit } from "jsonc-parser";

/**
 * Rows nested deeper than this are reported, not parsed into a tree: jsonc-parser recurses
 * (a stack overflow near 5,000 levels), and Python's json, which the trainers read rows with,
 * stops at its recursion limit of about 1,000.
 */
export const maxNestingDepth = 500;

export interface JsonShape {
  maxDepth: number;
  /** Property names in the text, duplicates included. */
  keyCount: number;
}

/**
 * Depth and key count of valid JSON text in one linear pass. Hand-written because neither
 * JSON.parse nor jsonc-parser reports either: JSON.parse keeps the last of duplicate keys
 * silently, and jsonc-parser's tree and visitor recurse without a depth limit.
 */
export function jsonShape(text: string): JsonShape {
  let depth = 0;
  let maxDepth = 0;
  let keyCount = 0;
  let afterString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) {
      i = closingQuote(text, i);
      afterString = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (afterString && c === 58) keyCount++;
    afterString = false;
    if (c === 123 || c === 91) {
      if (++depth > maxDepth) maxDepth = depth;
    } else if (c === 125 || c === 93) {
      depth--;
    }
  }
  return { maxDepth, keyCount };
}

/** Index of the quote that closes the string opened at `open` (the text's end when unterminated). */
function closingQuote(text: string, open: number): number {
  for (let quote = text.indexOf('"', open + 1); quote !== -1; quote = text.indexOf('"', quote + 1)) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
  return text.length;
}

/** Own property names in a parsed JSON value, at every depth (at most `maxNestingDepth` deep). */
export function countKeys(value: unknown): number {
  if (value === null || typeof value !== "object") return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countKeys(item);
    return count;
  }
  for (const key of Object.keys(value)) count += 1 + countKeys((value as Record<string, unknown>)[key]);
  return count;
}

export interface DuplicateKey {
  key: string;
  /** Offset and length of the repeated property name, quotes included. */
  offset: number;
  length: number;
  /** Offset of the name's first occurrence in the same object. */
  firstOffset: number;
}

/** Property names repeated within one object. Call only on text at most `maxNestingDepth` deep. */
export function duplicateKeys(text: string): DuplicateKey[] {
  const objects: Array<Map<string, number> | undefined> = [];
  const found: DuplicateKey[] = [];
  visit(text, {
    onObjectBegin: () => void objects.push(new Map()),
    onObjectEnd: () => void objects.pop(),
    onArrayBegin: () => void objects.push(undefined),
    onArrayEnd: () => void objects.pop(),
    onObjectProperty: (key, offset, length) => {
      const names = objects[objects.length - 1];
      if (!names) return;
      const first = names.get(key);
      if (first === undefined) names.set(key, offset);
      else found.push({ key, offset, length, firstOffset: first });
    },
  });
  return found;
}
