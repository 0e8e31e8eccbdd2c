import type { ChatTemplateSource, RenderOptions } from "./chatTemplate";
import { renderChat } from "./chatTemplate";

/** `{% generation %}` / `{% endgeneration %}` with any whitespace control, as TRL's `has_generation_markers` finds them. */
const generationTag = /\{%-?\s*generation\s*-?%\}/;
const anyGenerationTag = /\{%(-?)\s*(end)?generation\s*(-?)%\}/g;

export function hasGenerationMarkers(template: string): boolean {
  return generationTag.test(template);
}

/** Character spans of the rendering that a template's generation blocks produced (transformers' generation_indices). */
export interface GenerationRendering {
  text: string;
  spans: Array<{ start: number; end: number }>;
}

/** Private-use characters that mark where a block starts and ends; ones the row or template already hold are skipped. */
function sentinels(used: string): [string, string] {
  for (let code = 0xe000; code < 0xf8ff; code += 2) {
    const open = String.fromCharCode(code);
    const close = String.fromCharCode(code + 1);
    if (!used.includes(open) && !used.includes(close)) return [open, close];
  }
  throw new Error("the row uses every private-use character: generation blocks cannot be marked");
}

/**
 * Renders as transformers' `apply_chat_template(return_assistant_tokens_mask=True)` does,
 * returning where each `{% generation %}` block's output lies. Written here because
 * @huggingface/jinja drops the tags (it renders the block's body, nothing more): each tag becomes
 * an expression printing a sentinel, with the tag's own whitespace handling applied first
 * (lstrip_blocks, trim_blocks and `-` as Jinja2 applies them to a block tag), and the sentinels
 * are taken out of the text afterwards.
 */
export function renderWithGenerationSpans(source: ChatTemplateSource, messages: unknown[], options: RenderOptions = {}): GenerationRendering {
  const [open, close] = sentinels(source.template + JSON.stringify(messages) + JSON.stringify(options.tools ?? null) + JSON.stringify(options.extra ?? null));
  const template = source.template
    // lstrip_blocks: spaces and tabs before a block tag at the start of a line go.
    .replace(/^[ \t]*(\{%-?\s*(?:end)?generation\s*-?%\})/gm, "$1")
    // trim_blocks: the first newline after a block tag goes.
    .replace(/(\{%-?\s*(?:end)?generation\s*-?%\})\n/g, "$1")
    .replace(anyGenerationTag, (_tag, left: string, end: string | undefined, right: string) => `{{${left} "${end ? close : open}" ${right}}}`);
  const marked = renderChat({ ...source, template }, messages, options);
  let text = "";
  const spans: GenerationRendering["spans"] = [];
  let start: number | undefined;
  let from = 0;
  for (const mark of marked.matchAll(new RegExp(`[${open}${close}]`, "g"))) {
    text += marked.slice(from, mark.index);
    from = mark.index + 1;
    if (mark[0] === open) start = text.length;
    else if (start !== undefined) {
      spans.push({ start, end: text.length });
      start = undefined;
    }
  }
  text += marked.slice(from);
  return { text, spans };
}
