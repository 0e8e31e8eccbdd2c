import type { AxolotlBuiltin } from "./builtin";
import { llamaTokens, requireText } from "./builtin";

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

const metharmeDefaultSystem = "Enter RP mode. You shall reply to the user while staying in character. Your responses must be detailed, creative, immersive, and drive the scenario forward.";

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

export const otherFamilies: AxolotlBuiltin[] = [
  { name: "nemotron", label: "Nemotron", template: nemotron, specialTokens: { eos_token: "<|im_end|>" } },
  { name: "alpaca", label: "Alpaca", template: alpaca, specialTokens: llamaTokens },
  { name: "metharme", label: "Metharme (Pygmalion)", template: metharme, specialTokens: llamaTokens },
  { name: "exaone", label: "EXAONE 3", template: exaone, specialTokens: { bos_token: "[BOS]", eos_token: "[|endofturn|]" } },
];
