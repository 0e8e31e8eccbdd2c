import type { AxolotlBuiltin } from "./builtin";
import { llamaTokens } from "../specialTokens";

/** A message's text: its string, or its text parts joined (Axolotl's templates since PR 3736, for multimodal rows). */
const textOf = (message: string) =>
  String.raw`(${message}['content'] if ${message}['content'] is string else ${message}['content'] | selectattr('type', 'equalto', 'text') | map(attribute='text') | join(''))`;

/** An optional leading system message, taken out of the turns (Mistral's upstream templates). */
const systemFirst = String.raw`{%- if messages[0]['role'] == 'system' -%}{%- set system_message = ${textOf("messages[0]")} -%}{%- set loop_messages = messages[1:] -%}
{%- else -%}{%- set loop_messages = messages -%}{%- endif -%}`;

/** v1: " [INST] " turns, the system message before the first user turn's text. */
const mistralV1 = String.raw`${systemFirst}
{{- bos_token }}
{%- for message in loop_messages -%}
{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}{{ raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}
{%- set content = ${textOf("message")} -%}
{%- if message['role'] == 'user' -%}{{ ' [INST] ' + (system_message + '\n\n' if loop.first and system_message is defined else '') + content + ' [/INST]' }}
{%- elif message['role'] == 'assistant' -%}{{ ' ' + content + eos_token }}
{%- else -%}{{ raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}
{%- endif -%}
{%- endfor -%}`;

/**
 * v2/v3 and v3 Tekken, Mistral's upstream templates as Axolotl ships them since PR 3736: tools
 * before the last user turn, the system message in the last user turn, tool calls with 9-character
 * ids and tool results. `sp` is the space v2/v3 writes after its tags, which Tekken does not.
 */
function mistralWithTools(sp: string, assistant: string): string {
  return String.raw`${systemFirst}
{%- if tools is not defined -%}{%- set tools = none -%}{%- endif -%}
{%- set user_messages = loop_messages | selectattr('role', 'equalto', 'user') | list -%}
{%- set ns = namespace(index=0) -%}
{%- for message in loop_messages -%}
{%- if not (message.role == 'tool' or message.role == 'tool_results' or (message.tool_calls is defined and message.tool_calls is not none)) -%}
{%- if (message['role'] == 'user') != (ns.index % 2 == 0) -%}{{ raise_exception('After the optional system message, conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}
{%- set ns.index = ns.index + 1 -%}
{%- endif -%}
{%- endfor -%}
{{- bos_token }}
{%- for message in loop_messages -%}
{%- if message['role'] == 'user' -%}
{%- set content = ${textOf("message")} -%}
{#- Python compares the dicts by value: a user turn equal to the last one gets the tools too. -#}
{%- if tools is not none and (message | tojson) == (user_messages[-1] | tojson) -%}
{{- '[AVAILABLE_TOOLS]${sp}[' }}
{%- for tool in tools -%}{%- set tool = tool.function -%}
{{- '{"type": "function", "function": {' }}
{%- for key, val in tool.items() if key != 'return' -%}
{{- '"' + key + '": "' + val + '"' if val is string else '"' + key + '": ' + val | tojson }}{{- ', ' if not loop.last }}
{%- endfor -%}
{{- '}}' }}{{- ', ' if not loop.last else ']' }}
{%- endfor -%}
{{- '[/AVAILABLE_TOOLS]' }}
{%- endif -%}
{{- '[INST]${sp}' + (system_message + '\n\n' if loop.last and system_message is defined else '') + content + '[/INST]' }}
{%- elif message.tool_calls is defined and message.tool_calls is not none -%}
{{- '[TOOL_CALLS]${sp}[' }}
{%- for tool_call in message.tool_calls -%}
{%- set out = tool_call.function | tojson -%}{{- out[:-1] }}
{%- if tool_call.id is not defined or tool_call.id | length != 9 -%}{{ raise_exception('Tool call IDs should be alphanumeric strings with length 9!') }}{%- endif -%}
{{- ', "id": "' + tool_call.id + '"}' }}{{- ', ' if not loop.last else ']' + eos_token }}
{%- endfor -%}
{%- elif message['role'] == 'assistant' -%}
{%- set content = ${textOf("message")} -%}{{- ${assistant} + eos_token }}
{%- elif message['role'] == 'tool_results' or message['role'] == 'tool' -%}
{%- set content = message.content.content if message.content is defined and message.content.content is defined else message.content -%}
{{- '[TOOL_RESULTS]${sp}{"content": ' + content | string + ', ' }}
{%- if message.tool_call_id is not defined or message.tool_call_id | length != 9 -%}{{ raise_exception('Tool call IDs should be alphanumeric strings with length 9!') }}{%- endif -%}
{{- '"call_id": "' + message.tool_call_id + '"}[/TOOL_RESULTS]' }}
{%- else -%}{{ raise_exception('Only user and assistant roles are supported, with the exception of an initial optional system message!') }}
{%- endif -%}
{%- endfor -%}`;
}

const mistralV2V3 = mistralWithTools(" ", "' ' + content | trim");
const mistralV3Tekken = mistralWithTools("", "content");

const mistralSmallSystem = String.raw`You are Mistral Small 3, a Large Language Model (LLM) created by Mistral AI, a French startup headquartered in Paris.\nYour knowledge base was last updated on 2023-10-01. The current date is ' + strftime_now('%Y-%m-%d') + '.\n\nWhen you\'re not sure about some information, you say that you don\'t have the information and don\'t make up anything.\nIf the user\'s question is not clear, ambiguous, or does not provide enough context for you to accurately answer the question, you do not try to answer it right away and you rather ask the user to clarify their request (e.g. "What are some good restaurants around me?" => "Where are you?" or "When is the next flight to Tokyo" => "Where do you travel from?")`;

/** The first text of a message: its string, or its first part's text. */
const firstText = (message: string) => String.raw`(${message}['content'] if ${message}['content'] is string else ${message}['content'][0]['text'])`;

/**
 * v7 Tekken (Mistral Small 3): the system prompt in [SYSTEM_PROMPT] (Mistral's own default, with
 * today's date, when the conversation has none), images as [IMG].
 */
const mistralV7Tekken = String.raw`{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}{%- set system = ${firstText("messages[0]")} -%}{%- set turns = messages[1:] -%}
{%- else -%}{%- set system = '${mistralSmallSystem}' -%}{%- set turns = messages -%}{%- endif -%}
{{ '[SYSTEM_PROMPT]' + system + '[/SYSTEM_PROMPT]' }}
{%- for message in turns -%}
{%- if message['role'] == 'user' -%}
{%- if message['content'] is string -%}{{ '[INST]' + message['content'] + '[/INST]' }}
{%- else -%}{{ '[INST]' }}
{%- for part in message['content'] -%}
{%- if part['type'] == 'text' -%}{{ part['text'] }}
{%- elif part['type'] == 'image' or part['type'] == 'image_url' -%}{{ '[IMG]' }}
{%- else -%}{{ raise_exception('Only text and image blocks are supported in message content!') }}
{%- endif -%}
{%- endfor -%}{{ '[/INST]' }}
{%- endif -%}
{%- elif message['role'] == 'system' -%}{{ '[SYSTEM_PROMPT]' + ${firstText("message")} + '[/SYSTEM_PROMPT]' }}
{%- elif message['role'] == 'assistant' -%}{{ ${firstText("message")} + eos_token }}
{%- else -%}{{ raise_exception('Only user, system and assistant roles are supported!') }}
{%- endif -%}
{%- endfor -%}`;

export const mistralFamily: AxolotlBuiltin[] = [
  { name: "mistral_v1", label: "Mistral v1", template: mistralV1, specialTokens: llamaTokens },
  { name: "mistral_v2v3", label: "Mistral v2/v3", template: mistralV2V3, specialTokens: llamaTokens },
  { name: "mistral_v3_tekken", label: "Mistral v3 (Tekken)", template: mistralV3Tekken, specialTokens: llamaTokens },
  { name: "mistral_v7_tekken", label: "Mistral Small 3 (v7 Tekken)", template: mistralV7Tekken, specialTokens: llamaTokens },
];
