import type { TokenCounter } from "./tokenCounter";

/** A model's tokenizer as the preview needs it: ids of rendered text and each token's text. */
export interface ModelTokenizer extends TokenCounter {
  /** False for the built-in estimate used when no model files are configured. */
  exact: boolean;
  /** Token ids of text with special tokens recognised and nothing added (apply_chat_template's tokenization). */
  encode(text: string): number[];
  /** The text of a run of tokens, special tokens included. */
  decode(ids: number[]): string;
  /** The id of a token written out as text (`<|im_end|>`), when it is one token. */
  tokenId(text: string): number | undefined;
  isSpecial(id: number): boolean;
  /** Whether the tokenizer puts a BOS token before plain text (Axolotl's non-chat prompts get it). */
  addsBos: boolean;
  bosToken?: string;
  eosToken?: string;
  /** The texts of the tokens added to the vocabulary (`get_added_vocab`), where the tokenizer lists them. */
  addedTokens?: readonly string[];
}

export interface TokenSpan {
  id: number;
  /** Character offsets of the token's text in the rendering: consecutive tokens tile it. */
  start: number;
  end: number;
}

/** A text's token id when it encodes to exactly one token. */
export function singleTokenId(ids: number[]): number | undefined {
  return ids.length === 1 ? ids[0] : undefined;
}

const replacement = "\uFFFD";

/**
 * Where each token lies in the text it was encoded from. Tokenizers here give ids without
 * offsets (@huggingface/tokenizers 0.2 has none, llama.cpp neither), so each token is decoded
 * and matched in order; a token holding part of a UTF-8 character decodes to U+FFFD and is
 * decoded together with the next ones. Returns `aligned: false` when the decoded text drifts
 * from the source (a normalizer rewrote it); spans then stay contiguous but are approximate.
 */
export function alignTokens(text: string, ids: number[], decode: (ids: number[]) => string): { spans: TokenSpan[]; aligned: boolean } {
  const spans: TokenSpan[] = [];
  let position = 0;
  let aligned = true;
  for (let i = 0; i < ids.length;) {
    let group = 1;
    let piece = decode([ids[i]]);
    while (piece.includes(replacement) && group < 4 && i + group < ids.length && !text.startsWith(piece, position)) {
      group++;
      piece = decode(ids.slice(i, i + group));
    }
    let length = piece.length;
    if (!text.startsWith(piece, position)) {
      // SentencePiece decoders drop the leading space of a lone "▁word" token.
      if (text[position] === " " && text.startsWith(piece, position + 1)) length = piece.length + 1;
      else aligned = false;
    }
    const end = Math.min(text.length, position + length);
    // A multi-token character: its first token carries the text, the rest are empty spans.
    for (let k = 0; k < group; k++) spans.push({ id: ids[i + k], start: k === 0 ? position : end, end });
    position = end;
    i += group;
  }
  if (spans.length > 0 && position < text.length) {
    aligned = false;
    spans[spans.length - 1].end = text.length;
  }
  return { spans, aligned };
}
