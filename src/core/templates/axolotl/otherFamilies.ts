import type { AxolotlBuiltin } from "./builtin";
import { jinjaLiteral, requireText } from "./builtin";
import { chatmlTokens, llamaTokens } from "../specialTokens";

/** Alpaca: ### Instruction / ### Response blocks separated by a blank line; a leading system text. */
const alpaca = String.raw`{{ bos_token }}
{%- for message in messages -%}
{%- if (message['role'] == 'system' and loop.first) or message['role'] in ['user', 'assistant'] -%}${requireText()}{%- endif -%}
{%- if message['role'] == 'system' and loop.first -%}{{ message['content'] }}
{%- elif message['role'] == 'user' -%}{{ '### Instruction:\n' + message['content'] }}
{%- elif message['role'] == 'assistant' -%}{{ '### Response:\n' + message['content'] + eos_token }}
{%- endif -%}
{%- if not loop.last -%}{{ '\n\n' }}{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '\n\n### Response:\n' }}{%- endif -%}`;

const metharmeDefaultSystem =
  "Enter RP mode. You shall reply to the user while staying in character. Your responses must be detailed, creative, immersive, and drive the scenario forward.";

/** Metharme (Pygmalion): <|system|>, <|user|> and <|model|> with stripped text, EOS at the end. */
const metharme = String.raw`{{ bos_token }}
{%- set has_system = messages[0]['role'] == 'system' -%}
{%- if has_system -%}${requireText("messages[0]")}{%- endif -%}
{{ '<|system|>' + (messages[0]['content'] if has_system else '${metharmeDefaultSystem}') }}
{%- for message in (messages[1:] if has_system else messages) -%}
{%- if message['role'] in ['user', 'assistant'] -%}${requireText()}{%- endif -%}
{%- if message['role'] == 'user' -%}{{ '<|user|>' + message['content'].strip() }}
{%- elif message['role'] == 'assistant' -%}{{ '<|model|>' + message['content'].strip() }}
{%- endif -%}
{%- endfor -%}
{{ '<|model|>' if add_generation_prompt else eos_token }}`;

/** EXAONE 3: [|role|] tags, an empty system turn when there is none; the user's turn ends with a newline only. */
const exaone = String.raw`{%- for message in messages -%}${requireText()}
{%- if loop.first and message['role'] != 'system' -%}{{ '[|system|][|endofturn|]\n' }}{%- endif -%}
{{ '[|' + message['role'] + '|]' + message['content'] + ('\n' if message['role'] == 'user' else '[|endofturn|]\n') }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '[|assistant|]' }}{%- endif -%}`;

/** Nemotron: ChatML turns for system, user and assistant only. */
const nemotron = String.raw`{%- set has_system = messages[0].role == 'system' -%}
{%- if has_system -%}${requireText("messages[0]")}{{ '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}{%- endif -%}
{%- for message in (messages[1:] if has_system else messages) -%}
{%- if message.role == 'user' or message.role == 'assistant' -%}${requireText()}{{ '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}
{%- else -%}{{ raise_exception('Unexpected role: ' + message.role) }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}`;

const exaone4ToolsText = [
  "# Available Tools",
  "\nYou can use none, one, or multiple of the following tools by calling them as functions to help with the user’s query.",
  "\nHere are the tools available to you in JSON format within <tool> and </tool> tags:\n",
];
const exaone4CallFormat = [
  "\nFor each function call you want to make, return a JSON object with function name and arguments within <tool_call> and </tool_call> tags, like:",
  '\n<tool_call>{"name": function_1_name, "arguments": {argument_1_name: argument_1_value, argument_2_name: argument_2_value}}</tool_call>',
  '\n<tool_call>{"name": function_2_name, "arguments": {...}}</tool_call>\n...',
  "\nNote that if no argument name is specified for a tool, you can just print the argument value directly, without the argument name or JSON formatting.",
];
const exaone4Tools = String.raw`{{ ${jinjaLiteral(exaone4ToolsText.join(""))} }}{%- for tool in tools -%}{{ '<tool>' }}{{ tool | tojson }}{{ '</tool>\n' }}{%- endfor -%}{{ ${jinjaLiteral(exaone4CallFormat.join(""))} }}`;

/**
 * EXAONE 4: [|role|] and a newline open each turn, [|endofturn|] closes it; an assistant turn
 * carries an empty think block (its reasoning with skip_think=false, on the last turn); tool
 * calls and results as JSON. A first system message is written once (Axolotl's file wrote it twice
 * before its PR 3736).
 * A list content, which Axolotl's file writes as Python's repr of the list, is refused.
 */
const exaone4 = String.raw`{%- set think = skip_think is defined and not skip_think -%}
{%- for message in messages -%}${requireText()}
{%- if message.role not in ['user', 'assistant', 'system', 'tool'] -%}{{ raise_exception('Unknown role: ' + message.role | string) }}{%- endif -%}
{%- if loop.first and message.role == 'system' -%}
{{ '[|system|]\n' + message.content }}{%- if tools is defined and tools -%}{{ '\n\n' }}${exaone4Tools}{%- endif -%}{{ '[|endofturn|]\n' }}
{%- else -%}
{%- if loop.first and tools is defined and tools -%}{{ '[|system|]\n' }}${exaone4Tools}{{ '[|endofturn|]\n' }}{%- endif -%}
{%- if message.role == 'assistant' -%}
{{ '[|assistant|]\n' }}
{%- if message.content -%}
{%- set answer = message.content.split('</think>')[-1].strip() if '</think>' in message.content else message.content -%}
{%- set reasoning = message.content.split('</think>')[0].strip() if '</think>' in message.content else none -%}
{%- if reasoning is not none and reasoning.startswith('<think>') -%}{%- set reasoning = reasoning[7:].strip() -%}{%- endif -%}
{%- if message.reasoning_content -%}{%- set reasoning = message.reasoning_content -%}{%- endif -%}
{{ '<think>\n' + reasoning + '\n</think>\n\n' if think and loop.last and reasoning is not none else '<think>\n\n</think>\n\n' }}{{ answer }}
{%- endif -%}
{%- if message.tool_calls -%}
{{ '\n' if message.content else '<think>\n\n</think>\n\n' }}
{%- for call in message.tool_calls -%}
{%- set call = call.function if call.function is defined else call -%}
{%- if call.arguments is defined -%}{%- set arguments = call.arguments -%}
{%- elif call.parameters is defined -%}{%- set arguments = call.parameters -%}
{%- else -%}{{ raise_exception('arguments or parameters are mandatory: ' + call | string) }}
{%- endif -%}
{{ '<tool_call>{"name": "' + call.name + '", "arguments": ' }}{{ arguments | tojson }}{{ '}</tool_call>' + ('' if loop.last else '\n') }}
{%- endfor -%}
{%- endif -%}
{{ '[|endofturn|]\n' }}
{%- elif message.role == 'tool' -%}
{%- if loop.first or messages[loop.index0 - 1].role != 'tool' -%}{{ '[|tool|]\n' }}{%- endif -%}
{%- if message.content is defined -%}{{ '<tool_result>{"result": ' }}{{ message.content | tojson }}{{ '}</tool_result>' }}{%- endif -%}
{{ '[|endofturn|]\n' if loop.last or messages[loop.index0 + 1].role != 'tool' else '\n' }}
{%- else -%}
{{ '[|' + message.role + '|]\n' + message.content + '[|endofturn|]\n' }}
{%- endif -%}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '[|assistant|]\n' + ('<think>\n' if enable_thinking is defined and enable_thinking is true else '<think>\n\n</think>\n\n') }}{%- endif -%}`;

export const otherFamilies: AxolotlBuiltin[] = [
  { name: "nemotron", label: "Nemotron", template: nemotron, specialTokens: chatmlTokens },
  { name: "nemotron_h", label: "Nemotron-H", template: nemotron, specialTokens: chatmlTokens },
  { name: "exaone4", label: "EXAONE 4", template: exaone4, specialTokens: { bos_token: "[BOS]", eos_token: "[|endofturn|]" } },
  { name: "alpaca", label: "Alpaca", template: alpaca, specialTokens: llamaTokens },
  { name: "metharme", label: "Metharme (Pygmalion)", template: metharme, specialTokens: llamaTokens },
  { name: "exaone", label: "EXAONE 3", template: exaone, specialTokens: { bos_token: "[BOS]", eos_token: "[|endofturn|]" } },
];
