import type { AxolotlBuiltin } from "./builtin";
import { llamaTokens, requireText } from "./builtin";

const alternate = String.raw`{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}`;
const onlyUserAndAssistant = String.raw`{{ raise_exception('Only user and assistant roles are supported!') }}`;

/** Mistral's [INST] turns: user and assistant strictly alternating, no system role. */
function instTurns(user: [string, string], assistant: [string, string], indented = false): string {
  // Jinja source pieces: an indented turn is "        " + turn + "\n", after a "\n" that follows BOS.
  const [before, after, afterBos] = indented ? ["'        ' + ", " + '\\n'", "{{ '\\n' }}"] : ["", "", ""];
  return String.raw`{{ bos_token }}${afterBos}
{%- for message in messages -%}
${alternate}
{%- if message['role'] == 'user' or message['role'] == 'assistant' -%}${requireText()}{%- endif -%}
{%- if message['role'] == 'user' -%}{{ ${before}'${user[0]}' + message['content'] + '${user[1]}'${after} }}
{%- elif message['role'] == 'assistant' -%}{{ ${before}'${assistant[0]}' + message['content'] + eos_token${after} }}
{%- else -%}${onlyUserAndAssistant}
{%- endif -%}
{%- endfor -%}`;
}

/** v1: spaces around [INST] and [/INST]. */
const mistralV1 = instTurns([" [INST] ", " [/INST]"], [" ", ""]);
/**
 * v2/v3: "[INST] text[/INST]". Axolotl's file is indented over several lines, and each turn keeps
 * that indentation and line break: "\n" after BOS, then 8 spaces before and "\n" after each turn.
 */
const mistralV2V3 = instTurns(["[INST] ", "[/INST]"], [" ", ""], true);
/** v3 Tekken: no spaces at all. */
const mistralV3Tekken = instTurns(["[INST]", "[/INST]"], ["", ""]);

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
