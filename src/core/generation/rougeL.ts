/**
 * ROUGE-L F-measure between two texts, as Self-Instruct filters near-copies of instructions.
 * Written here because Self-Instruct's `rouge_score` tokenizer keeps only [a-z0-9] (Korean or
 * Chinese text gets no tokens at all) and no npm ROUGE package segments words by Unicode rules:
 * `Intl.Segmenter` does (ICU word boundaries, dictionary-based for Chinese and Japanese).
 */
let segmenter: Intl.Segmenter | undefined;
/** Made on first use: making one loads ICU's word-break data (5 ms), at every start of the CLI and of the extension, which most runs never use. */
const wordSegmenter = () => (segmenter ??= new Intl.Segmenter(undefined, { granularity: "word" }));

/** Tokens beyond this are ignored: bounds the LCS table of a pathological row. */
export const maxRougeTokens = 400;

export function rougeTokens(text: string): string[] {
  const tokens: string[] = [];
  for (const segment of wordSegmenter().segment(text.toLowerCase())) {
    if (!segment.isWordLike) continue;
    tokens.push(segment.segment);
    if (tokens.length >= maxRougeTokens) break;
  }
  return tokens;
}

type Tokens = ArrayLike<string | number>;

function lcsLength(a: Tokens, b: Tokens): number {
  if (a.length < b.length) [a, b] = [b, a];
  let previous = new Uint16Array(b.length + 1);
  let current = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) current[j] = a[i - 1] === b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

const fMeasure = (lcs: number, a: number, b: number) => (lcs === 0 ? 0 : (2 * lcs) / (a + b));

/** ROUGE-L's F-measure of two token lists (words, or their hashes). */
export function rougeL(a: Tokens, b: Tokens): number {
  if (a.length === 0 || b.length === 0) return 0;
  return fMeasure(lcsLength(a, b), a.length, b.length);
}

function counts(tokens: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const t of tokens) map.set(t, (map.get(t) ?? 0) + 1);
  return map;
}

/**
 * Texts to compare new instructions with. The LCS is never longer than the multiset
 * intersection of the two token lists, so that intersection bounds ROUGE-L from above and most
 * pairs are ruled out without the quadratic table.
 */
export class RougeIndex {
  private readonly entries: Array<{ text: string; tokens: string[]; counts: Map<string, number> }> = [];

  add(text: string): void {
    const tokens = rougeTokens(text);
    if (tokens.length > 0) this.entries.push({ text, tokens, counts: counts(tokens) });
  }

  get size(): number {
    return this.entries.length;
  }

  /** The most similar text whose ROUGE-L exceeds `threshold`, if any. */
  mostSimilarAbove(text: string, threshold: number): { text: string; score: number } | undefined {
    const tokens = rougeTokens(text);
    if (tokens.length === 0) return undefined;
    const own = counts(tokens);
    let best: { text: string; score: number } | undefined;
    for (const entry of this.entries) {
      let common = 0;
      for (const [token, n] of own) common += Math.min(n, entry.counts.get(token) ?? 0);
      if (fMeasure(common, tokens.length, entry.tokens.length) <= Math.max(threshold, best?.score ?? 0)) continue;
      const score = rougeL(tokens, entry.tokens);
      if (score > threshold && score > (best?.score ?? 0)) best = { text: entry.text, score };
    }
    return best;
  }
}
