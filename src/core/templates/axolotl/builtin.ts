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

/**
 * Axolotl's files add a turn's content to text; a list of content parts (images, text blocks)
 * makes Python fail there, so the renderings here refuse it at the same places.
 */
export const requireText = (message = "message") =>
  String.raw`{%- if ${message}['content'] is not string -%}{{ raise_exception("This template writes a turn's content as text: a list of content parts (images, text blocks) makes Axolotl's own template fail on this row") }}{%- endif -%}`;

/** A Jinja string literal holding `text` exactly (single-quoted; backslashes, quotes and newlines escaped). */
export const jinjaLiteral = (text: string) => `'${text.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\n/g, "\\n")}'`;
