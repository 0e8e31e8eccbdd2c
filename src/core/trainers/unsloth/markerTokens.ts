/**
 * How Unsloth's `train_on_responses_only` (unsloth-zoo ce232d6, `dataset_utils.py`) turns a
 * marker string into the token run it searches for: `_find_common_token_ids` and its
 * `_longest_common_sublist`, written here (LGPL code is not copied; the behaviour is reproduced).
 */

export interface MarkerTokens {
  /** The run that must appear. Empty: the marker cannot be matched. */
  core: number[];
  /** Tokens Unsloth extends the match over when they sit just before / after the core. */
  left: number[];
  right: number[];
}

/** Python's `str.strip()` whitespace: JavaScript's `trim` also strips U+FEFF, which Python keeps. */
const pythonSpace = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const pythonStripPattern = new RegExp(`^[${pythonSpace}]+|[${pythonSpace}]+$`, "g");
export const pythonStrip = (text: string): string => text.replace(pythonStripPattern, "");

const runKey = (ids: readonly number[], start: number, length: number): string => ids.slice(start, start + length).join(",");

/**
 * A run of `length` ids that every list holds, or undefined. Unsloth takes `set.pop()` of the
 * common runs (an order Python's hashing decides); this takes the first in the first list, which
 * differs only where several runs of the longest length are common.
 */
function commonRun(lists: number[][], length: number): number[] | undefined {
  let common = new Set<string>();
  for (let i = 0; i + length <= lists[0].length; i++) common.add(runKey(lists[0], i, length));
  for (const list of lists.slice(1)) {
    const current = new Set<string>();
    for (let i = 0; i + length <= list.length; i++) {
      const key = runKey(list, i, length);
      if (common.has(key)) current.add(key);
    }
    common = current;
    if (common.size === 0) return undefined;
  }
  for (let i = 0; i + length <= lists[0].length; i++) {
    if (common.has(runKey(lists[0], i, length))) return lists[0].slice(i, i + length);
  }
  return undefined;
}

/** `_longest_common_sublist`: binary search on the length. */
function longestCommonRun(lists: number[][]): number[] {
  if (lists.length === 0) return [];
  let left = 1;
  let right = Math.min(...lists.map((list) => list.length));
  let result: number[] = [];
  while (left <= right) {
    const middle = left + ((right - left) >> 1);
    const found = commonRun(lists, middle);
    if (found) {
      result = found;
      left = middle + 1;
    } else right = middle - 1;
  }
  return result;
}

const sameIds = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && runAt(a, 0, b);

/** Whether `ids` holds `run` at `at`. */
export function runAt(ids: readonly number[], at: number, run: readonly number[]): boolean {
  if (at + run.length > ids.length) return false;
  for (let i = 0; i < run.length; i++) if (ids[at + i] !== run[i]) return false;
  return true;
}

/** Python's first `j` with `original[j : j + len(core)] == core`: none in an empty list, even for an empty core. */
function indexOfRun(haystack: readonly number[], needle: readonly number[]): number {
  for (let j = 0; j < haystack.length; j++) if (runAt(haystack, j, needle)) return j;
  return -1;
}

/**
 * `_find_common_token_ids(component, tokenizer, force_match)`. With `force_match` (Unsloth's
 * default) the core is the marker's own tokenization; without it, the run common to the marker
 * tokenized with 0–2 newlines or spaces around it, so a tokenizer that folds a neighbouring
 * newline into the marker's first token still matches.
 */
export function markerTokens(component: string, encode: (text: string) => number[], forceMatch: boolean): MarkerTokens {
  const rightText = component.endsWith(" ") ? " " : component.endsWith("\n") ? "\n" : "";
  const leftText = component.startsWith(" ") ? " " : component.startsWith("\n") ? "\n" : "";
  const stripped = pythonStrip(component);
  const variants: number[][] = [];
  if (!forceMatch) {
    for (let left = 0; left < 3; left++) {
      for (let right = 0; right < 3; right++) {
        variants.push(encode(leftText.repeat(left) + stripped + rightText.repeat(right)));
        variants.push(encode("\n".repeat(left) + stripped + "\n".repeat(right)));
      }
    }
  } else variants.push(encode(component));
  // Unsloth appends a 0 to every list before the search (a sentinel that can itself be a token id).
  let core = longestCommonRun(variants.map((ids) => [...ids, 0]));
  if (sameIds(core, [0]) && variants[0].length === 1 && variants.every((ids) => ids.includes(variants[0][0]))) core = [variants[0][0]];
  const allSame = variants.every((ids) => sameIds(ids, variants[0]));
  if (allSame && variants[0].length + 1 === core.length && sameIds(variants[0], core.slice(0, -1))) core = variants[0];
  const original = encode(component);
  const where = indexOfRun(original, core);
  if (where === -1) return { core: [], left: [], right: [] };
  return { core, left: original.slice(0, where), right: original.slice(where + core.length) };
}
