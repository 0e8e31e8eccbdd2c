import type { AxolotlBuiltin } from "./builtin";
import { llamaTokens, qwenTokens } from "../specialTokens";

/**
 * LLaVA 1.5: "ROLE: " prefixes, a string content followed by a space, a list content's images
 * then its texts (each followed by a space). Strings are read since Axolotl's PR 3736.
 */
const llava = String.raw`{%- for message in messages -%}
{%- if message['role'] != 'system' -%}{{ message['role'].upper() + ': ' }}{%- endif -%}
{%- if message['content'] is string -%}{{ message['content'] + ' ' }}
{%- else -%}
{%- for part in message['content'] -%}{%- if part['type'] == 'image' -%}{{ '<image>\n' }}{%- endif -%}{%- endfor -%}
{%- for part in message['content'] -%}{%- if part['type'] == 'text' -%}{{ part['text'] + ' ' }}{%- endif -%}{%- endfor -%}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ 'ASSISTANT:' }}{%- endif -%}`;

/** Qwen2-VL: ChatML with a default system prompt; images and videos as vision placeholders, numbered with add_vision_id. */
const qwen2VL = String.raw`{%- set counts = namespace(images=0, videos=0) -%}
{%- for message in messages -%}
{%- if loop.first and message['role'] != 'system' -%}{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{%- endif -%}
{{ '<|im_start|>' + message['role'] + '\n' }}
{%- if message['content'] is string -%}{{ message['content'] }}
{%- else -%}
{%- for part in message['content'] -%}
{%- if part['type'] == 'image' or 'image' in part or 'image_url' in part -%}
{%- set counts.images = counts.images + 1 -%}{%- if add_vision_id -%}{{ 'Picture ' + counts.images | string + ': ' }}{%- endif -%}{{ '<|vision_start|><|image_pad|><|vision_end|>' }}
{%- elif part['type'] == 'video' or 'video' in part -%}
{%- set counts.videos = counts.videos + 1 -%}{%- if add_vision_id -%}{{ 'Video ' + counts.videos | string + ': ' }}{%- endif -%}{{ '<|vision_start|><|video_pad|><|vision_end|>' }}
{%- elif 'text' in part -%}{{ part['text'] }}
{%- endif -%}
{%- endfor -%}
{%- endif -%}
{{ '<|im_end|>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}`;

/** A Pixtral content chunk: text (under "content" or "text"), or an image. */
const pixtralChunks = String.raw`{%- for chunk in message['content'] -%}
{%- if chunk['type'] == 'text' -%}{{ chunk['content'] if 'content' in chunk else (chunk['text'] if 'text' in chunk else '') }}
{%- elif chunk['type'] == 'image' -%}{{ '[IMG]' }}
{%- else -%}{{ raise_exception('Unrecognized content type!') }}
{%- endif -%}
{%- endfor -%}`;

/** Pixtral: [INST] turns; the system prompt goes into the last user turn (when the conversation ends on one). */
const pixtral = String.raw`{%- set head = namespace(system=none, turns=messages) -%}
{%- if messages[0]['role'] == 'system' -%}
{%- if messages[0]['content'] is string -%}{%- set head.system = messages[0]['content'] -%}
{%- else -%}{%- set head.system = '' -%}
{%- for chunk in messages[0]['content'] if chunk['type'] == 'text' -%}
{%- set head.system = head.system + (chunk['content'] if 'content' in chunk else (chunk['text'] if 'text' in chunk else '')) -%}
{%- endfor -%}
{%- endif -%}
{%- set head.turns = messages[1:] -%}
{%- endif -%}
{{ bos_token }}
{%- for message in head.turns -%}
{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}{{ raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}
{%- if message['role'] == 'user' -%}
{{ '[INST]' + (head.system + '\n\n' if loop.last and head.system is not none else '') }}
{%- if message['content'] is string -%}{{ message['content'] }}{%- else -%}${pixtralChunks}{%- endif -%}
{{ '[/INST]' }}
{%- elif message['role'] == 'assistant' -%}
{%- if message['content'] is string -%}{{ message['content'] }}{%- else -%}${pixtralChunks}{%- endif -%}
{{ eos_token }}
{%- else -%}{{ raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}
{%- endif -%}
{%- endfor -%}`;

export const visionFamilies: AxolotlBuiltin[] = [
  { name: "llava", label: "LLaVA", template: llava, specialTokens: llamaTokens },
  { name: "qwen2_vl", label: "Qwen2-VL", template: qwen2VL, specialTokens: qwenTokens },
  { name: "pixtral", label: "Pixtral", template: pixtral, specialTokens: llamaTokens },
];
