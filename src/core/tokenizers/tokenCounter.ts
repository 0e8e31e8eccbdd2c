/** Counts tokens of text with a model's own tokenizer. */
export interface TokenCounter {
  /** What the tokens come from: a tokenizer.json folder or a GGUF file. */
  source: string;
  count(text: string): number;
}
