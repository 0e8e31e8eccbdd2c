/**
 * `count` Alpaca rows as JSON Lines lines, each of random words (xorshift from `seed`): no two
 * alike and nothing for a rule to find, so a validation of them has no finding to stop at.
 */
export function distinctRows(count: number, seed: number, words = { instruction: 20, output: 30 }): string[] {
  let state = seed;
  const word = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0).toString(36);
  };
  const sentence = (n: number) => Array.from({ length: n }, word).join(" ");
  return Array.from({ length: count }, () => JSON.stringify({ instruction: sentence(words.instruction), input: "", output: sentence(words.output) }));
}
