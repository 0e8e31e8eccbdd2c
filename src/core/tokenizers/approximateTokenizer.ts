import type { ModelTokenizer } from "./modelTokenizer";

/**
 * A stand-in when the user has no model files yet: no real vocabulary ships with the extension,
 * so counts are an estimate and the panel says so. Special tokens of the template are single
 * tokens; other text splits the way byte-level BPE pre-tokenizers split it (a word with its
 * leading space, digits in threes, punctuation runs), long words in pieces of six characters,
 * and characters outside Latin scripts about one token each.
 */
export function approximateTokenizer(specialTokens: string[]): ModelTokenizer {
  const specials = [...new Set(specialTokens.filter((t) => t !== ""))].sort((a, b) => b.length - a.length);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const specialAlternatives = specials.map(escape).join("|");
  const specialPattern = specials.length > 0 ? `${specialAlternatives}|` : "";
  // Punctuation stops where a special token begins, so "." never swallows the "<" of "<|eot_id|>".
  const punctuation = specials.length > 0 ? `(?:(?!${specialAlternatives})[^\\s\\p{L}\\p{N}])` : "[^\\s\\p{L}\\p{N}]";
  const piecePattern = new RegExp(`${specialPattern} ?[A-Za-z\\u00C0-\\u024F]{1,6}| ?\\p{N}{1,3}| ?${punctuation}{1,3}|\\s*\\n|\\s+(?!\\S)|\\s|.`, "gsu");
  const vocabulary = new Map<string, number>(specials.map((s, i) => [s, i]));
  const pieces: string[] = [...specials];
  const idOf = (piece: string) => {
    let id = vocabulary.get(piece);
    if (id === undefined) {
      id = pieces.length;
      pieces.push(piece);
      vocabulary.set(piece, id);
    }
    return id;
  };
  const encode = (text: string) => Array.from(text.match(piecePattern) ?? [], idOf);
  return {
    source: "estimate",
    exact: false,
    count: (text) => encode(text).length,
    encode,
    decode: (ids) => ids.map((id) => pieces[id] ?? "").join(""),
    tokenId: (text) => vocabulary.get(text),
    isSpecial: (id) => id < specials.length,
    addsBos: false,
  };
}
