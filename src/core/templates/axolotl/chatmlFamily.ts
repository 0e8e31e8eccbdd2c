import type { AxolotlBuiltin } from "./builtin";
import { requireText } from "./builtin";
import { chatmlTokens, falconH1Tokens, qwenTokens } from "../specialTokens";

// Templates are parsed with trim_blocks and lstrip_blocks, as transformers parses every chat template.

const chatml = String.raw`{%- for message in messages -%}${requireText()}
{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}`;

/** Qwen's tool preamble: the function signatures in <tools>, and how to call them. */
const qwenTools = String.raw`{{ '# Tools\n\nYou may call one or more functions to assist with the user query.\n\nYou are provided with function signatures within <tools></tools> XML tags:\n<tools>' }}
{%- for tool in tools -%}{{ '\n' }}{{ tool | tojson }}{%- endfor -%}
{{ '\n</tools>\n\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\n<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call><|im_end|>\n' }}`;

/** Consecutive tool results share one user turn, each in <tool_response>. */
const qwenToolResult = String.raw`{%- if loop.first or messages[loop.index0 - 1].role != 'tool' -%}{{ '<|im_start|>user' }}{%- endif -%}
{{ '\n<tool_response>\n' }}{{ message.content if message.content is string else text_of(message.content) }}{{ '\n</tool_response>' }}
{%- if loop.last or messages[loop.index0 + 1].role != 'tool' -%}{{ '<|im_end|>\n' }}{%- endif -%}`;

/**
 * Qwen3's assistant turn once its `content` and `reasoning` are known, then tool results and the
 * generation prompt. Turns after the last real user query carry their reasoning in <think> (an
 * empty one on the conversation's last turn, `ns.last_turn`).
 */
const qwen3AnswerAndRest = String.raw`{%- if loop.index0 > ns.last_query and (loop.index0 == ns.last_turn or reasoning) -%}
{{ '<|im_start|>assistant\n<think>\n' + reasoning.strip('\n') + '\n</think>\n\n' + content.lstrip('\n') }}
{%- else -%}
{{ '<|im_start|>assistant\n' + content }}
{%- endif -%}
{%- if message.tool_calls -%}{%- for call in message.tool_calls -%}
{%- if content or not loop.first -%}{{ '\n' }}{%- endif -%}
{%- set call = call.function if call.function else call -%}
{{ '<tool_call>\n{"name": "' + call.name + '", "arguments": ' }}{{ call.arguments if call.arguments is string else call.arguments | tojson }}{{ '}\n</tool_call>' }}
{%- endfor -%}{%- endif -%}
{{ '<|im_end|>\n' }}
{%- elif message.role == 'tool' -%}${qwenToolResult}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ '<|im_start|>assistant\n' }}{{ '<think>\n\n</think>\n\n' if enable_thinking is defined and enable_thinking is false else '<think>\n\n' }}
{%- endif -%}`;

const qwen25DefaultSystem = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

const qwen25 = String.raw`{%- set has_system = messages[0]['role'] == 'system' -%}
{%- if has_system -%}${requireText("messages[0]")}{%- endif -%}
{%- if tools -%}
{{ '<|im_start|>system\n' + (messages[0]['content'] if has_system else '${qwen25DefaultSystem}') + '\n\n' }}${qwenTools}
{%- else -%}
{{ '<|im_start|>system\n' + (messages[0]['content'] if has_system else '${qwen25DefaultSystem}') + '<|im_end|>\n' }}
{%- endif -%}
{%- for message in messages -%}
{%- if message.role != 'system' or not loop.first -%}${requireText()}{%- endif -%}
{%- if message.role == 'user' or (message.role == 'system' and not loop.first) or (message.role == 'assistant' and not message.tool_calls) -%}
{{ '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' }}
{%- elif message.role == 'assistant' -%}
{{ '<|im_start|>assistant' }}{%- if message.content -%}{{ '\n' + message.content }}{%- endif -%}
{%- for call in message.tool_calls -%}
{%- set call = call.function if call.function is defined else call -%}
{{ '\n<tool_call>\n{"name": "' + call.name + '", "arguments": ' }}{{ call.arguments | tojson }}{{ '}\n</tool_call>' }}
{%- endfor -%}
{{ '<|im_end|>\n' }}
{%- elif message.role == 'tool' -%}${qwenToolResult}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}`;

/** A content's text: the string, or the text of its parts joined (Axolotl's qwen3 reads lists since its PR 3736). */
const partsText = String.raw`{%- macro text_of(content) -%}{%- if content is string -%}{{ content }}{%- elif content is not none -%}{%- for item in content -%}{%- if 'text' in item -%}{{ item['text'] }}{%- endif -%}{%- endfor -%}{%- endif -%}{%- endmacro -%}`;

/**
 * Qwen3: assistant turns after the last real user query carry their reasoning in <think> (an
 * empty one on the conversation's last turn). Axolotl passes `real_last_index` when it renders
 * a prefix to find a turn, so that turn is written as it is in the whole conversation.
 */
const qwen3 = String.raw`${partsText}
{%- if tools -%}
{{ '<|im_start|>system\n' }}{%- if messages[0].role == 'system' -%}{{ text_of(messages[0].content) + '\n\n' }}{%- endif -%}${qwenTools}
{%- elif messages[0].role == 'system' -%}
{{ '<|im_start|>system\n' + text_of(messages[0].content) + '<|im_end|>\n' }}
{%- endif -%}
{%- set ns = namespace(searching=true, last_query=messages|length - 1, last_turn=messages|length - 1) -%}
{%- if real_last_index is defined and real_last_index is not none -%}{%- set ns.last_turn = real_last_index -%}{%- endif -%}
{%- for message in messages[::-1] -%}
{%- if ns.searching and message.role == 'user' and (message.content is not string or not (message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>'))) -%}
{%- set ns.searching = false -%}{%- set ns.last_query = messages|length - 1 - loop.index0 -%}
{%- endif -%}
{%- endfor -%}
{%- for message in messages -%}
{%- if message.role == 'user' or (message.role == 'system' and not loop.first) -%}
{{ '<|im_start|>' + message.role + '\n' + text_of(message.content) + '<|im_end|>\n' }}
{%- elif message.role == 'assistant' -%}
{%- set content = text_of(message.content) -%}{%- set reasoning = '' -%}
{%- if message.reasoning_content is string -%}
{%- set reasoning = message.reasoning_content -%}
{%- elif '</think>' in content -%}
{%- set reasoning = content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') -%}
{%- set content = content.split('</think>')[-1].lstrip('\n') -%}
{%- endif -%}
${qwen3AnswerAndRest}`;

const falconToolsIntro =
  "You are a function calling AI model. You are provided with function signature within <tools> </tools> XML tags. You may call one or more functions to assist with the user query. Don\\'t make assumptions about what values to plug into functions.\\n<tools>\\n";
const falconToolsFormat =
  "\\n</tools>\\nFor each function call, return a json object with function name and arguments within <tool_call> </tool_call> tags with the following schema:\\n<tool_call>\\n{\\'arguments\\': <args-dict>, \\'name\\': <function-name>}\\n</tool_call>\\n";

/** Falcon-H1: ChatML after BOS; with tools, a system block (left open) listing each tool in brackets. */
const falconH1 = String.raw`{{ bos_token }}
{%- if tools -%}
{{ '<|im_start|>system\n' }}{%- if messages[0].role == 'system' -%}{{ messages[0].content + '\n\n' }}{%- endif -%}
{{ '${falconToolsIntro}' }}{%- for tool in tools -%}{{ '[' }}{{ tool | tojson }}{{ ']' }}{%- endfor -%}{{ '${falconToolsFormat}' }}
{%- elif messages[0].role == 'system' -%}{{ '<|im_start|>system\n' + messages[0].content + '<|im_end|>\n' }}
{%- endif -%}
{%- for message in messages if message.role != 'system' -%}${requireText()}{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>\n' }}{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\n' }}{%- endif -%}`;

/** A Qwen3.5 message's parts: images and videos as vision placeholders, and texts. */
const qwen35Parts = String.raw`{%- for part in message['content'] -%}
{%- if part['type'] == 'image' or 'image' in part or 'image_url' in part -%}{{ '<|vision_start|><|image_pad|><|vision_end|>' }}
{%- elif part['type'] == 'video' or 'video' in part -%}{{ '<|vision_start|><|video_pad|><|vision_end|>' }}
{%- elif 'text' in part -%}{{ part['text'] }}
{%- endif -%}
{%- endfor -%}`;

/** The text parts of the system message. */
const systemTexts = String.raw`{%- for part in messages[0].content -%}{%- if 'text' in part -%}{{ part['text'] }}{%- endif -%}{%- endfor -%}`;

/**
 * Qwen3.5: Qwen3's turns with multimodal parts; an assistant's list content is its text parts
 * joined, and inline <think> is split into reasoning and answer (Axolotl's fixes of 2026-06-15).
 */
const qwen35 = String.raw`${partsText}
{%- if tools -%}
{{ '<|im_start|>system\n' }}
{%- if messages[0].role == 'system' -%}{%- if messages[0].content is string -%}{{ messages[0].content }}{%- else -%}${systemTexts}{%- endif -%}{{ '\n\n' }}{%- endif -%}${qwenTools}
{%- elif messages[0].role == 'system' -%}
{{ '<|im_start|>system\n' }}{%- if messages[0].content is string -%}{{ messages[0].content }}{%- else -%}${systemTexts}{%- endif -%}{{ '<|im_end|>\n' }}
{%- endif -%}
{%- set ns = namespace(searching=true, last_query=messages|length - 1, last_turn=messages|length - 1) -%}
{%- if real_last_index is defined and real_last_index is not none -%}{%- set ns.last_turn = real_last_index -%}{%- endif -%}
{%- for message in messages[::-1] -%}
{%- if ns.searching and message.role == 'user' and (message['content'] is not string or not (message.content.startswith('<tool_response>') and message.content.endswith('</tool_response>'))) -%}
{%- set ns.searching = false -%}{%- set ns.last_query = messages|length - 1 - loop.index0 -%}
{%- endif -%}
{%- endfor -%}
{%- for message in messages -%}
{%- if message.role == 'user' or (message.role == 'system' and not loop.first) -%}
{{ '<|im_start|>' + message.role + '\n' }}{%- if message['content'] is string -%}{{ message.content }}{%- else -%}${qwen35Parts}{%- endif -%}{{ '<|im_end|>\n' }}
{%- elif message.role == 'assistant' -%}
{%- set content = text_of(message.content) -%}{%- set reasoning = '' -%}
{%- if message.reasoning_content is defined and message.reasoning_content is not none -%}
{%- set reasoning = message.reasoning_content -%}
{%- elif '</think>' in content -%}
{%- set reasoning = content.split('</think>')[0].rstrip('\n').split('<think>')[-1].lstrip('\n') -%}
{%- set content = content.split('</think>')[-1].lstrip('\n') -%}
{%- endif -%}
${qwen3AnswerAndRest}`;

export const chatmlFamily: AxolotlBuiltin[] = [
  { name: "qwen3_5", label: "Qwen3.5", template: qwen35, specialTokens: qwenTokens },
  { name: "falcon_h1", label: "Falcon-H1", template: falconH1, specialTokens: falconH1Tokens },
  { name: "chatml", label: "ChatML", template: chatml, specialTokens: chatmlTokens },
  { name: "qwen_25", label: "Qwen2.5", template: qwen25, specialTokens: qwenTokens },
  { name: "qwen3", label: "Qwen3", template: qwen3, specialTokens: qwenTokens },
];
