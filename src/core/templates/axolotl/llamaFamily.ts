import type { AxolotlBuiltin } from "./builtin";
import { llama3Tokens } from "./builtin";

/** A message's text: its string, or the text parts of a multimodal list joined. */
const textOf = String.raw`{%- if message['content'] is string -%}{%- set text = message['content'] -%}
{%- else -%}{%- set parts = namespace(text='') -%}
{%- for part in message['content'] -%}{%- if part['text'] is defined -%}{%- set parts.text = parts.text + part['text'] -%}{%- endif -%}{%- endfor -%}
{%- set text = parts.text -%}{%- endif -%}`;

/** Llama 3: a header per turn, the text trimmed, <|eot_id|> after each; BOS before the first. */
const llama3 = String.raw`{%- for message in messages -%}
${textOf}
{{ (bos_token if loop.first else '') + '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' + text | trim + '<|eot_id|>' }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{%- endif -%}`;

const llama32ToolsIntro = String.raw`{{ 'Given the following functions, please respond with a JSON for a function call with its proper arguments that best answers the given prompt.\n\n' }}`;
const llama32ToolsFormat = String.raw`{{ 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.Do not use variables.\n\n' }}
{%- for tool in tools -%}{{ tool | tojson(indent=4) + '\n\n' }}{%- endfor -%}`;

/**
 * Llama 3.2 Vision: a system header with the knowledge cutoff and today's date (left out when
 * the conversation has images, which also refuse a system prompt); tools go with the first user
 * message; a tool call is written as JSON, a tool's result under the ipython role.
 */
const llama32Vision = String.raw`{{ bos_token }}
{%- if custom_tools is defined -%}{%- set tools = custom_tools -%}{%- endif -%}
{%- if tools is not defined -%}{%- set tools = none -%}{%- endif -%}
{%- set in_user_message = tools_in_user_message if tools_in_user_message is defined else true -%}
{%- set today = date_string if date_string is defined else strftime_now('%d %b %Y') -%}
{%- set turns = namespace(list=messages, system='', images=false) -%}
{%- if messages[0]['role'] == 'system' -%}{%- set turns.system = messages[0]['content'] | trim -%}{%- set turns.list = messages[1:] -%}{%- endif -%}
{%- for message in turns.list -%}{%- if message['content'] is not string -%}{%- for part in message['content'] -%}
{%- if part['type'] == 'image' -%}{%- set turns.images = true -%}{%- endif -%}
{%- endfor -%}{%- endif -%}{%- endfor -%}
{%- if turns.images and turns.system != '' -%}{{ raise_exception('Prompting with images is incompatible with system messages.') }}{%- endif -%}
{%- if not turns.images -%}
{{ '<|start_header_id|>system<|end_header_id|>\n\n' }}
{%- if tools is not none -%}{{ 'Environment: ipython\n' }}{%- endif -%}
{{ 'Cutting Knowledge Date: December 2023\nToday Date: ' + today + '\n\n' }}
{%- if tools is not none and not in_user_message -%}
{{ 'You have access to the following functions. To call a function, please respond with JSON for a function call.' }}${llama32ToolsFormat}
{%- endif -%}
{{ turns.system + '<|eot_id|>' }}
{%- endif -%}
{%- if in_user_message and tools is not none -%}
{%- if turns.list | length == 0 -%}{{ raise_exception("Cannot put tools in the first user message when there's no first user message!") }}{%- endif -%}
{{ '<|start_header_id|>user<|end_header_id|>\n\n' }}${llama32ToolsIntro}${llama32ToolsFormat}
{{ turns.list[0]['content'] | trim + '<|eot_id|>' }}
{%- set turns.list = turns.list[1:] -%}
{%- endif -%}
{%- for message in turns.list -%}
{%- if 'tool_calls' in message -%}
{%- if message.tool_calls | length != 1 -%}{{ raise_exception('This model only supports single tool-calls at once!') }}{%- endif -%}
{%- set call = message.tool_calls[0].function -%}
{{ '<|start_header_id|>assistant<|end_header_id|>\n\n{"name": "' + call.name + '", "parameters": ' }}{{ call.arguments | tojson }}{{ '}<|eot_id|>' }}
{%- elif message.role == 'tool' or message.role == 'ipython' -%}
{{ '<|start_header_id|>ipython<|end_header_id|>\n\n' }}{{ message.content | tojson if message.content is mapping or message.content is iterable else message.content }}{{ '<|eot_id|>' }}
{%- else -%}
{{ '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n' }}
{%- if message['content'] is string -%}{{ message['content'] }}
{%- else -%}{%- for part in message['content'] -%}
{%- if part['type'] == 'image' -%}{{ '<|image|>' }}{%- elif part['type'] == 'text' -%}{{ part['text'] }}{%- endif -%}
{%- endfor -%}{%- endif -%}
{{ '<|eot_id|>' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{%- endif -%}`;

export const llamaFamily: AxolotlBuiltin[] = [
  { name: "llama3", label: "Llama 3", template: llama3, specialTokens: llama3Tokens },
  { name: "llama3_2_vision", label: "Llama 3.2 Vision", template: llama32Vision, specialTokens: llama3Tokens },
];
