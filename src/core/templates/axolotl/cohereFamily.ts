import { cohereTokens } from "../specialTokens";
import type { AxolotlBuiltin } from "./builtin";
import { requireText } from "./builtin";

/** Command R and Aya: turns between <|START_OF_TURN_TOKEN|> and <|END_OF_TURN_TOKEN|>, text stripped, roles alternating. */
const cohereTurns = String.raw`{{ bos_token }}
{%- set has_system = messages[0]['role'] == 'system' -%}
{%- if has_system -%}${requireText("messages[0]")}{{ '<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>' + messages[0]['content'] + '<|END_OF_TURN_TOKEN|>' }}{%- endif -%}
{%- for message in (messages[1:] if has_system else messages) -%}
{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}{%- endif -%}
${requireText()}
{%- if message['role'] == 'user' -%}{{ '<|START_OF_TURN_TOKEN|><|USER_TOKEN|>' + message['content'].strip() + '<|END_OF_TURN_TOKEN|>' }}
{%- elif message['role'] == 'assistant' -%}{{ '<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>' + message['content'].strip() + '<|END_OF_TURN_TOKEN|>' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>' }}{%- endif -%}`;

export const cohereFamily: AxolotlBuiltin[] = [
  { name: "cohere", label: "Command R", template: cohereTurns, specialTokens: cohereTokens },
  { name: "aya", label: "Aya", template: cohereTurns, specialTokens: cohereTokens },
];
