import type { ChatTemplateSource } from "../chatTemplate";

/**
 * A rendering of one of Axolotl's named chat templates (`chat_template: NAME`), written here from
 * the model family's published turn format so that it gives the text Axolotl's NAME.jinja gives,
 * raises where it raises, and reads the variables Axolotl passes (`real_last_index`). The special
 * tokens are the family's defaults; a configured tokenizer's own replace them.
 */
export interface AxolotlBuiltin extends ChatTemplateSource {
  name: string;
  /** The model family, as the panel names it. */
  label: string;
}

export const qwenTokens = { eos_token: "<|im_end|>", pad_token: "<|endoftext|>" };
export const llama3Tokens = { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" };
export const llamaTokens = { bos_token: "<s>", eos_token: "</s>" };
export const gemmaTokens = { bos_token: "<bos>", eos_token: "<eos>" };
export const deepseekTokens = { bos_token: "<｜begin▁of▁sentence｜>", eos_token: "<｜end▁of▁sentence｜>" };
