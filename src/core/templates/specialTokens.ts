/**
 * The special tokens each model family's templates are rendered with when no tokenizer gives its
 * own: written once here, for Axolotl's renderings and the short family names alike.
 */
export const chatmlTokens = { eos_token: "<|im_end|>" };
export const qwenTokens = { eos_token: "<|im_end|>", pad_token: "<|endoftext|>" };
export const llama3Tokens = { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" };
export const llamaTokens = { bos_token: "<s>", eos_token: "</s>" };
export const gemmaTokens = { bos_token: "<bos>", eos_token: "<eos>" };
export const deepseekTokens = { bos_token: "<｜begin▁of▁sentence｜>", eos_token: "<｜end▁of▁sentence｜>" };
/** Phi-3 and 3.5 as Axolotl renders them; the short name "phi" ends turns with <|end|>, as Phi-3's chat does. */
export const phi3Tokens = { bos_token: "<s>", eos_token: "<|endoftext|>" };
export const phiChatTokens = { bos_token: "<s>", eos_token: "<|end|>" };
export const phi4Tokens = { bos_token: "<|endoftext|>", eos_token: "<|im_end|>" };
export const cohereTokens = { bos_token: "<BOS_TOKEN>", eos_token: "<|END_OF_TURN_TOKEN|>" };
export const graniteTokens = { bos_token: "<|end_of_text|>", eos_token: "<|end_of_text|>" };
export const falconH1Tokens = { bos_token: "<|begin_of_text|>", eos_token: "<|end_of_text|>" };
export const jambaTokens = { bos_token: "<|startoftext|>", eos_token: "<|endoftext|>" };
export const llama4Tokens = { bos_token: "<|begin_of_text|>", eos_token: "<|eot|>" };
