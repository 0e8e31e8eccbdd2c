import { axolotlBuiltin } from "./axolotl/registry";
import type { ChatTemplateSource } from "./chatTemplate";

/**
 * Chat formats of the common model families, for users with no model files yet. Each writes
 * the family's published turn format; the model's own template (from its tokenizer folder,
 * GGUF or training config) always takes precedence, since details such as default system
 * prompts differ between releases.
 */
export interface BuiltinTemplate extends ChatTemplateSource {
  name: string;
  label: string;
}

// Whitespace control: these are parsed with trim_blocks/lstrip_blocks like every chat template.
const chatml = `{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`;

const qwen3 = `{% for message in messages %}
{% if message['role'] == 'assistant' and message.get('reasoning_content') %}{{ '<|im_start|>assistant\\n<think>\\n' + message['reasoning_content'] | trim + '\\n</think>\\n\\n' + message['content'] | trim + '<|im_end|>\\n' }}{% elif message['role'] == 'tool' %}{{ '<|im_start|>user\\n<tool_response>\\n' + message['content'] + '\\n</tool_response><|im_end|>\\n' }}{% else %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}{% endif %}
{% endfor %}
{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}`;

const llama3 = `{{ bos_token }}{% for message in messages %}{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}`;

const mistral = `{% if messages[0]['role'] == 'system' %}{% set system = messages[0]['content'] + '\\n\\n' %}{% set turns = messages[1:] %}{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}
{{ bos_token }}{% for message in turns %}
{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}
{% if message['role'] == 'user' %}{{ '[INST] ' + (system if loop.first else '') + message['content'] + ' [/INST]' }}{% else %}{{ ' ' + message['content'] + eos_token }}{% endif %}
{% endfor %}`;

const gemma = `{{ bos_token }}{% if messages[0]['role'] == 'system' %}{% set system = messages[0]['content'] + '\\n\\n' %}{% set turns = messages[1:] %}{% else %}{% set system = '' %}{% set turns = messages %}{% endif %}
{% for message in turns %}
{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{% endif %}
{% set role = 'model' if message['role'] == 'assistant' else message['role'] %}
{{ '<start_of_turn>' + role + '\\n' + (system if loop.first else '') + message['content'] | trim + '<end_of_turn>\\n' }}{% endfor %}
{% if add_generation_prompt %}{{ '<start_of_turn>model\\n' }}{% endif %}`;

const deepseek = `{{ bos_token }}{% for message in messages %}
{% if message['role'] == 'system' %}{{ message['content'] }}{% elif message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}{% elif message['role'] == 'assistant' %}{{ '<｜Assistant｜>' + message['content'] + '<｜end▁of▁sentence｜>' }}{% elif message['role'] == 'tool' %}{{ '<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>' }}{% endif %}
{% endfor %}
{% if add_generation_prompt %}{{ '<｜Assistant｜>' }}{% endif %}`;

const phi = `{% for message in messages %}{{ '<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}`;

const exaone = `{% for message in messages %}
{% if message['role'] == 'system' %}{{ '[|system|]' + message['content'] + '[|endofturn|]\\n' }}{% elif message['role'] == 'user' %}{{ '[|user|]' + message['content'] + '\\n' }}{% elif message['role'] == 'assistant' %}{{ '[|assistant|]' + message['content'] + '[|endofturn|]\\n' }}{% endif %}
{% endfor %}
{% if add_generation_prompt %}{{ '[|assistant|]' }}{% endif %}`;

const alpaca = `{{ bos_token }}{% for message in messages %}
{% if message['role'] == 'system' %}{{ message['content'] + '\\n\\n' }}{% elif message['role'] == 'user' %}{{ '### Instruction:\\n' + message['content'] + '\\n\\n' }}{% elif message['role'] == 'assistant' %}{{ '### Response:\\n' + message['content'] + eos_token + '\\n\\n' }}{% endif %}
{% endfor %}
{% if add_generation_prompt %}{{ '### Response:\\n' }}{% endif %}`;

const builtins: BuiltinTemplate[] = [
  { name: "chatml", label: "ChatML", template: chatml, specialTokens: { eos_token: "<|im_end|>" } },
  { name: "qwen3", label: "Qwen3", template: qwen3, specialTokens: { eos_token: "<|im_end|>", pad_token: "<|endoftext|>" } },
  { name: "llama3", label: "Llama 3", template: llama3, specialTokens: { bos_token: "<|begin_of_text|>", eos_token: "<|eot_id|>" } },
  { name: "mistral", label: "Mistral", template: mistral, specialTokens: { bos_token: "<s>", eos_token: "</s>" } },
  { name: "gemma", label: "Gemma", template: gemma, specialTokens: { bos_token: "<bos>", eos_token: "<eos>" } },
  { name: "deepseek", label: "DeepSeek", template: deepseek, specialTokens: { bos_token: "<｜begin▁of▁sentence｜>", eos_token: "<｜end▁of▁sentence｜>" } },
  { name: "phi", label: "Phi-3", template: phi, specialTokens: { bos_token: "<s>", eos_token: "<|end|>" } },
  { name: "exaone", label: "EXAONE", template: exaone, specialTokens: { bos_token: "[BOS]", eos_token: "[|endofturn|]" } },
  { name: "alpaca", label: "Alpaca", template: alpaca, specialTokens: { bos_token: "<s>", eos_token: "</s>" } },
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
  specialTokens: { eos_token: "<|im_end|>" },
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

export const builtinTemplateNames = builtins.map((t) => t.name);

export const allBuiltinTemplates: readonly BuiltinTemplate[] = builtins;

/** A family's template by name, else the built-in rendering of one of Axolotl's named templates. */
export function builtinTemplate(name: string): BuiltinTemplate | undefined {
  const family = builtins.find((t) => t.name === name);
  if (family) return family;
  const axolotl = axolotlBuiltin(name);
  return axolotl && { ...axolotl, label: `Axolotl's ${name} (${axolotl.label})` };
}

/** Every special token a built-in template writes, so the estimate counts each as one token. */
export function templateSpecialTokens(template: string, specialTokens: Record<string, string>): string[] {
  const written = template.match(/<\|[^|'\n]{1,40}\|>|<[｜|][^'\n]{1,40}?[｜|]>|\[\|[a-z]{1,20}\|\]|<\/?(?:s|bos|eos|start_of_turn|end_of_turn|think|tool_response|tool_call)>|\[\/?INST\]/g) ?? [];
  return [...Object.values(specialTokens), ...written];
}
