import type { ModelTokenizer } from "../tokenizers/modelTokenizer";

/**
 * Tokenizes the many prefixes of one rendering (Axolotl's find_turn renders the conversation up
 * to each turn, with and without a dummy message) in time linear in their new text, not in their
 * length: 1,000 turns otherwise tokenize half a million messages.
 *
 * Tokenizers split special tokens off before anything else, so the text between two special
 * tokens tokenizes alike wherever it stands; each such piece is tokenized once and remembered.
 * The split is checked on the full rendering: when the pieces do not give its exact ids (a
 * special token that strips the space beside it, say), every prefix is tokenized whole.
 */
export function prefixEncoder(tokenizer: ModelTokenizer, fullText: string, fullIds: readonly number[]): (text: string) => number[] {
  // Array.from: llama.cpp's tokenizer returns a typed array, whose map would not hold strings.
  const specials = [
    ...new Set(
      Array.from(fullIds)
        .filter((id) => tokenizer.isSpecial(id))
        .map((id) => tokenizer.decode([id])),
    ),
  ].filter((s) => s.length > 0);
  if (specials.length === 0) return (text) => tokenizer.encode(text);
  const splitter = new RegExp(
    `(${specials
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|")})`,
  );
  const pieces = new Map<string, number[]>();
  const encode = (text: string): number[] => {
    const ids: number[] = [];
    for (const piece of text.split(splitter)) {
      if (piece === "") continue;
      let pieceIds = pieces.get(piece);
      if (!pieceIds) pieces.set(piece, (pieceIds = tokenizer.encode(piece)));
      for (const id of pieceIds) ids.push(id);
    }
    return ids;
  };
  const check = encode(fullText);
  const exact = check.length === fullIds.length && check.every((id, i) => id === fullIds[i]);
  return exact ? encode : (text) => tokenizer.encode(text);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
