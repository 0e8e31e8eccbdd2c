import { axolotlBuiltin } from "./axolotl/registry";
import type { ChatTemplateSource } from "./chatTemplate";
import { chatmlTokens, deepseekTokens, llamaTokens, phiChatTokens } from "./specialTokens";

/**
 * Chat formats by name, for users with no model files yet: Axolotl's renderings for the names it
 * has, three short family names written here. The model's own template (from its tokenizer
 * folder, GGUF or training config) always takes precedence.
 */
export interface BuiltinTemplate extends ChatTemplateSource {
  name: string;
  label: string;
}

// Whitespace control: these are parsed with trim_blocks/lstrip_blocks like every chat template.

const mistral = `{% if messages[0]['role'] == 'system' %}{% set system = messages[0]['content'] + '\\n\\n' %}{% set turns = messages[1:] %}{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}
{{ bos_token }}{% for message in turns %}
{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}
{% if message['role'] == 'user' %}{{ '[INST] ' + (system if loop.first else '') + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + eos_token }}{% endif %}
{% endfor %}`;

const deepseek = `{{ bos_token }}{% for message in messages %}
{% if message['role'] == 'system' %}{{ message['content'] }}{% elif message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}{% elif message['role'] == 'assistant' %}{{ '<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>' }}{% elif message['role'] == 'tool' %}{{ '<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>' }}{% endif %}
{% endfor %}
{% if add_generation_prompt %}{{ '<｜Assistant｜>' }}{% endif %}`;

const phi = `{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}`;

/** Families Axolotl names otherwise (mistral_v1, deepseek_v3, phi_3): short names written here. */
const builtins: BuiltinTemplate[] = [
  { name: "mistral", label: "Mistral", template: mistral, specialTokens: llamaTokens },
  { name: "deepseek", label: "DeepSeek", template: deepseek, specialTokens: deepseekTokens },
  { name: "phi", label: "Phi-3", template: phi, specialTokens: phiChatTokens },
];

/**
 * What the preview shows when nothing names a template: ChatML, with tools, tool calls and tool
 * results written the way Qwen2.5 and Qwen3 (Hermes's format) write them, since plain ChatML has
 * no place for a call and would show a tool-calling turn as empty. Written here because no
 * template of a package says "ChatML with tools" without also adding a model's default system prompt.
 */
export const defaultChatTemplate: BuiltinTemplate = {
  name: "chatml",
  label: "ChatML with tool calls",
  specialTokens: chatmlTokens,
  template: `{%- if tools %}
{{- '<|im_start|>system\\n' }}
{%- if messages[0]['role'] == 'system' %}{{- messages[0]['content'] + '\\n\\n' }}{%- endif %}
{{- "# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
{%- for tool in tools %}{{- '\\n' }}{{- tool | tojson }}{%- endfor %}
{{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- elif messages[0]['role'] == 'system' %}
{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
{%- endif %}
{%- for message in messages %}
{%- if message.role == 'system' and loop.first %}
{%- elif message.role == 'assistant' and message.tool_calls %}
{{- '<|im_start|>assistant' }}
{%- if message.content %}{{- '\\n' + message.content }}{%- endif %}
{%- for tool_call in message.tool_calls %}
{%- if tool_call.function is defined %}{%- set tool_call = tool_call.function %}{%- endif %}
{{- '\\n<tool_call>\\n{"name": "' + tool_call.name + '", "arguments": ' }}
{%- if tool_call.arguments is string %}{{- tool_call.arguments }}{%- else %}{{- tool_call.arguments | tojson }}{%- endif %}
{{- '}\\n</tool_call>' }}
{%- endfor %}
{{- '<|im_end|>\\n' }}
{%- elif message.role == 'tool' %}
{%- if loop.first or messages[loop.index0 - 1].role != 'tool' %}{{- '<|im_start|>user' }}{%- endif %}
{{- '\\n<tool_response>\\n' + message.content + '\\n</tool_response>' }}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' %}{{- '<|im_end|>\\n' }}{%- endif %}
{%- else %}
{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}
{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}`,
};

/** The common names, as the help and errors list them; every Axolotl name works too. */
export const builtinTemplateNames = ["chatml", "llama3", "mistral", "gemma", "qwen3", "deepseek", "phi", "exaone", "alpaca"];

export const allBuiltinTemplates: readonly BuiltinTemplate[] = builtins;

/**
 * A template by name: one name, one rendering. Where Axolotl has the name (chatml, qwen3, llama3,
 * gemma, alpaca, ...) it is Axolotl's rendering, the same text a config's `chat_template: NAME`
 * gives; the families Axolotl names otherwise (mistral, deepseek, phi, exaone) are written here.
 */
export function builtinTemplate(name: string): BuiltinTemplate | undefined {
  const axolotl = axolotlBuiltin(name);
  if (axolotl) return { ...axolotl, label: `Axolotl's ${name} (${axolotl.label})` };
  return builtins.find((t) => t.name === name);
}

/** Every special token a built-in template writes, so the estimate counts each as one token. */
export function templateSpecialTokens(template: string, specialTokens: Record<string, string>): string[] {
  const written =
    template.match(
      /<\|[^|'\n]{1,40}\|>|<[｜|][^'\n]{1,40}?[｜|]>|\[\|[a-z]{1,20}\|\]|<\/?(?:s|bos|eos|start_of_turn|end_of_turn|think|tool_response|tool_call)>|\[\/?INST\]/g,
    ) ?? [];
  return [...Object.values(specialTokens), ...written];
}
