import type { AxolotlBuiltin } from "./builtin";
import { gemmaTokens } from "../specialTokens";

const alternate = String.raw`{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}`;
const role = String.raw`('model' if message['role'] == 'assistant' else message['role'])`;

/** Gemma: user and model turns alternating, text trimmed; no system role. */
const gemma = String.raw`{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}{{ raise_exception('System role not supported') }}{%- endif -%}
{%- for message in messages -%}
${alternate}
{{ '<start_of_turn>' + ${role} + '\n' }}
{%- if message['content'] is string -%}{{ message['content'] | trim }}
{%- else -%}{%- for part in message['content'] -%}{%- if 'text' in part -%}{{ part['text'] | trim }}{%- endif -%}{%- endfor -%}
{%- endif -%}
{{ '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}`;

/**
 * Gemma 3 and 3n: the system prompt opens the first user turn; media parts become their
 * placeholder tokens.
 */
function gemma3Like(systemText: string, media: Record<string, string>): string {
  const mediaParts = Object.entries(media)
    .map(([type, token]) => `{%- elif part['type'] == '${type}' -%}{{ '${token}' }}`)
    .join("\n");
  return String.raw`{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
{%- if messages[0]['content'] is string -%}{%- set prefix = messages[0]['content'] + '\n\n' -%}
{%- else -%}${systemText}
{%- endif -%}
{%- set turns = messages[1:] -%}
{%- else -%}{%- set prefix = '' -%}{%- set turns = messages -%}
{%- endif -%}
{%- for message in turns -%}
${alternate}
{{ '<start_of_turn>' + ${role} + '\n' + (prefix if loop.first else '') }}
{%- if message['content'] is string -%}{{ message['content'] | trim }}
{%- elif message['content'] is iterable -%}
{%- for part in message['content'] -%}
{%- if false -%}
${mediaParts}
{%- elif part['type'] == 'text' -%}{{ part['text'] | trim }}
{%- endif -%}
{%- endfor -%}
{%- else -%}{{ raise_exception('Invalid content type') }}
{%- endif -%}
{{ '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<start_of_turn>model\n' }}{%- endif -%}`;
}

const gemma3 = gemma3Like(
  String.raw`{%- set system = namespace(text='') -%}{%- for part in messages[0]['content'] -%}{%- if 'text' in part -%}{%- set system.text = system.text + part['text'] -%}{%- endif -%}{%- endfor -%}{%- set prefix = system.text + '\n\n' -%}`,
  { image: "<start_of_image>" },
);
const gemma3n = gemma3Like(String.raw`{%- set prefix = messages[0]['content'][0]['text'] + '\n\n' -%}`, {
  audio: "<audio_soft_token>",
  image: "<image_soft_token>",
});

export const gemmaFamily: AxolotlBuiltin[] = [
  { name: "gemma", label: "Gemma", template: gemma, specialTokens: gemmaTokens },
  { name: "gemma3", label: "Gemma 3", template: gemma3, specialTokens: gemmaTokens },
  { name: "gemma3n", label: "Gemma 3n", template: gemma3n, specialTokens: gemmaTokens },
];
