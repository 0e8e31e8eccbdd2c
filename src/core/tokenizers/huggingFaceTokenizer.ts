import { Tokenizer } from "@huggingface/tokenizers";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { specialTokenText } from "../templates/chatTemplate";
import { ModelTokenizer, singleTokenId } from "./modelTokenizer";

export class TokenizerLoadError extends Error {}

function readJson(path: string): object {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as object;
  } catch (error) {
    throw new TokenizerLoadError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

export interface TokenizerFolder extends ModelTokenizer {
  tokenizer: Tokenizer;
  config: Record<string, unknown>;
  /** chat_template.jinja beside the tokenizer, which newer transformers prefer over the config's. */
  chatTemplateFile?: string;
}

/** A Hugging Face model folder's tokenizer (tokenizer.json and tokenizer_config.json). */
export function loadTokenizerFolder(dir: string): TokenizerFolder {
  const tokenizerFile = join(dir, "tokenizer.json");
  if (!existsSync(tokenizerFile)) throw new TokenizerLoadError(`${dir} has no tokenizer.json`);
  const configFile = join(dir, "tokenizer_config.json");
  const config = (existsSync(configFile) ? readJson(configFile) : {}) as Record<string, unknown>;
  const json = readJson(tokenizerFile) as { added_tokens?: Array<{ id: number; content: string; special?: boolean }> };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(json, config);
  } catch (error) {
    throw new TokenizerLoadError(`${tokenizerFile} is not a tokenizer this version can read: ${(error as Error).message}`);
  }
  const special = new Set((json.added_tokens ?? []).filter((t) => t.special).map((t) => t.id));
  const encode = (text: string) => tokenizer.encode(text, { add_special_tokens: false }).ids;
  const probe = encode("a").length;
  const templateFile = join(dir, "chat_template.jinja");
  return {
    source: dir,
    exact: true,
    tokenizer,
    config,
    chatTemplateFile: existsSync(templateFile) ? templateFile : undefined,
    count: (text) => encode(text).length,
    encode,
    decode: (ids) => tokenizer.decode(ids, { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    tokenId: (text) => singleTokenId(encode(text)),
    isSpecial: (id) => special.has(id),
    addsBos: tokenizer.encode("a", { add_special_tokens: true }).ids.length > probe,
    bosToken: specialTokenText(config.bos_token),
    eosToken: specialTokenText(config.eos_token),
    addedTokens: (json.added_tokens ?? []).map((t) => t.content),
  };
}
