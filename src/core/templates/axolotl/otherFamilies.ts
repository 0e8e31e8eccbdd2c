import type { AxolotlBuiltin } from "./builtin";
import { llamaTokens } from "./builtin";

/** Alpaca: ### Instruction / ### Response blocks separated by a blank line; a leading system text. */
const alpaca = String.raw`{{ bos_token }}
{%- for message in messages -%}
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
{{ '<|system|>' + (messages[0]['content'] if has_system else '${metharmeDefaultSystem}') }}
{%- for message in (messages[1:] if has_system else messages) -%}
{%- if message['role'] == 'user' -%}{{ '<|user|>' + message['content'].strip() }}
{%- elif message['role'] == 'assistant' -%}{{ '<|model|>' + message['content'].strip() }}
{%- endif -%}
{%- endfor -%}
{{ '<|model|>' if add_generation_prompt else eos_token }}`;

/** EXAONE 3: [|role|] tags, an empty system turn when there is none; the user's turn ends with a newline only. */
const exaone = String.raw`{%- for message in messages -%}
{%- if loop.first and message['role'] != 'system' -%}{{ '[|system|][|endofturn|]\n' }}{%- endif -%}
{{ '[|' + message['role'] + '|]' + message['content'] + ('\n' if message['role'] == 'user' else '[|endofturn|]\n') }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '[|assistant|]' }}{%- endif -%}`;

export const otherFamilies: AxolotlBuiltin[] = [
  { name: "alpaca", label: "Alpaca", template: alpaca, specialTokens: llamaTokens },
  { name: "metharme", label: "Metharme (Pygmalion)", template: metharme, specialTokens: llamaTokens },
  { name: "exaone", label: "EXAONE 3", template: exaone, specialTokens: { bos_token: "[BOS]", eos_token: "[|endofturn|]" } },
];
