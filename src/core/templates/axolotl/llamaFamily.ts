import type { AxolotlBuiltin } from "./builtin";
import { llama3Tokens, llama4Tokens } from "../specialTokens";

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

/** A message's content: its string, or its parts with images as <|image|>. */
const llama4Content = String.raw`{%- if message['content'] is string -%}{{ message['content'] }}
{%- else -%}{%- for part in message['content'] -%}
{%- if part['type'] == 'image' -%}{{ '<|image|>' }}{%- elif part['type'] == 'text' -%}{{ part['text'] }}{%- endif -%}
{%- endfor -%}{%- endif -%}`;

/**
 * Llama 4: <|header_start|>role<|header_end|> turns closed by <|eot|>; a system turn only when
 * the conversation has one; tools with the first user message; a tool call's text between
 * <|python_start|> and <|python_end|>, then the calls as JSON.
 */
const llama4 = String.raw`{{ bos_token }}
{%- if custom_tools is defined -%}{%- set tools = custom_tools -%}{%- endif -%}
{%- if tools is not defined -%}{%- set tools = none -%}{%- endif -%}
{%- set in_user_message = tools_in_user_message if tools_in_user_message is defined else true -%}
{%- set turns = namespace(list=messages) -%}
{%- if messages[0]['role'] == 'system' -%}
{%- set turns.list = messages[1:] -%}
{{ '<|header_start|>system<|header_end|>

' }}
{%- if tools is not none -%}{{ 'Environment: ipython
' }}{%- endif -%}
{%- if tools is not none and not in_user_message -%}
{{ 'You have access to the following functions. To call a function, please respond with JSON for a function call.' }}${llama32ToolsFormat}
{%- endif -%}
{{ (messages[0]['content'] if messages[0]['content'] is string else messages[0]['content'][0]['text']) | trim + '<|eot|>' }}
{%- endif -%}
{%- if in_user_message and tools is not none -%}
{%- if turns.list | length == 0 -%}{{ raise_exception("Cannot put tools in the first user message when there's no first user message!") }}{%- endif -%}
{{ '<|header_start|>user<|header_end|>

' }}${llama32ToolsIntro}${llama32ToolsFormat}
{{ turns.list[0]['content'] | trim + '<|eot|>' }}
{%- set turns.list = turns.list[1:] -%}
{%- endif -%}
{%- for message in turns.list -%}
{%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) -%}
{{ '<|header_start|>' + message['role'] + '<|header_end|>

' }}${llama4Content}{{ '<|eot|>' }}
{%- elif 'tool_calls' in message and message.tool_calls | length > 0 -%}
{{ '<|header_start|>assistant<|header_end|>

<|python_start|>' }}${llama4Content}{{ '<|python_end|>' }}
{%- for call in message.tool_calls -%}{{ '{"name": "' + call.function.name + '", "parameters": ' }}{{ call.function.arguments | tojson }}{{ '}' }}{%- endfor -%}
{{ '<|eot|>' }}
{%- elif message.role == 'tool' or message.role == 'ipython' -%}
{{ '<|header_start|>ipython<|header_end|>

' }}{{ message.content | tojson if message.content is mapping or message.content is iterable else message.content }}{{ '<|eot|>' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|header_start|>assistant<|header_end|>

' }}{%- endif -%}`;

export const llamaFamily: AxolotlBuiltin[] = [
  { name: "llama4", label: "Llama 4", template: llama4, specialTokens: llama4Tokens },
  { name: "llama3", label: "Llama 3", template: llama3, specialTokens: llama3Tokens },
  { name: "llama3_2_vision", label: "Llama 3.2 Vision", template: llama32Vision, specialTokens: llama3Tokens },
];
