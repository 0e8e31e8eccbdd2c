/** Optimal string alignment distance (Levenshtein plus adjacent transpositions: outptu → output). */
// Three rolling rows, reused between calls: a row of 40,000 keys compares each one.
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  if (cols > rows[0].length) rows = rows.map(() => new Int32Array(cols * 2));
  // The transposition step looks two rows back.
  let [before, previous, current] = rows;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2] + 1);
      current[j] = best;
    }
    const oldest = before;
    before = previous;
    previous = current;
    current = oldest;
  }
  return previous[b.length];
}

/** The closest candidate within a distance that grows with the word's length, if any. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const limit = word.length <= 4 ? 1 : word.length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = limit + 1;
  const lower = word.toLowerCase();
  for (const candidate of candidates) {
    // The distance is at least the difference in length: no need to compute it.
    if (Math.abs(candidate.length - lower.length) > limit) continue;
    const distance = lower === candidate ? 0.5 : editDistance(lower, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
