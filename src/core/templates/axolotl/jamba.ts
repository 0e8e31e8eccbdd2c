import { jambaTokens } from "../specialTokens";
import type { AxolotlBuiltin } from "./builtin";

const activeModesIntro =
  "\\n\\nThe following modes configure the format or style of your responses. You should adhere to all currently active modes simultaneously.";
const citationMode =
  "\\n\\n## Citation Mode\\n\\nProvide a list of references only for the documents you base your response on. Format your response with the original answer followed by a citation section. Use this template: `{answer}<citations>DOCUMENT_IDS</citations>`, where DOCUMENT_IDS are the relevant document numbers (e.g. [2, 5, 9]), or [] if the answer cannot be supported by the provided documents.";
const jsonMode =
  "\\n\\n## JSON Mode\\n\\nProvide your response in JSON format. Adhere strictly to any schema given by the user. If an appropriate JSON format exists, use it without modification.";

/** The documents and active modes a system turn before the last user turn carries, when given (chat_template_kwargs). */
const lastSystemTurn = String.raw`{%- set use_documents = documents is defined and documents is not none and documents | length > 0 -%}
{%- set use_knobs = knobs is defined and knobs is not none and knobs.is_set -%}
{%- if use_documents or use_knobs -%}
{{ ('<|eom|>' if state.count > 0 else '') + '<|bom|><|system|> ' }}
{%- if use_documents -%}
{{ '<documents>\n# Documents\n\nYou can use the following documents for reference:' }}
{%- for doc in documents -%}
{{ '\n\n## Document ID: ' + loop.index0 | string }}{%- if 'title' in doc and doc.title is not none -%}{{ '\nTitle: ' + doc.title }}{%- endif -%}
{%- for key, value in doc.items() if key not in ['title', 'text'] -%}{{ '\n' + key | title + ': ' + value | string }}{%- endfor -%}
{{ '\nText: ' + doc.text }}
{%- endfor -%}
{{ '\n</documents>' }}
{%- endif -%}
{%- if use_knobs -%}
{{ '\n\n' if use_documents else '' }}{{ '<active_output_modes>\n# Active Modes${activeModesIntro}' }}
{%- if knobs.citation_mode == 'fast' -%}{{ '${citationMode}' }}{%- endif -%}
{%- if knobs.response_format == 'json_object' -%}{{ '${jsonMode}' }}{%- endif -%}
{{ '\n</active_output_modes>' }}
{%- endif -%}
{%- set state.count = state.count + 1 -%}
{%- endif -%}`;

/**
 * Jamba 1.5: <|bom|><|role|> turns joined by <|eom|>, after <|startoftext|>; a system turn always
 * opens (empty without a system message), with the tool definitions; tool calls as a JSON list.
 */
const jamba = String.raw`{%- set state = namespace(count=0, last_user=0) -%}
{%- set has_system = messages | length > 0 and messages[0].role == 'system' -%}
{%- set system = messages[0].content if has_system else '' -%}
{%- set turns = messages[1:] if has_system else messages -%}
{%- set tools_given = tools is defined and tools is not none and tools | length > 0 -%}
{{ '<|startoftext|>' }}
{%- if system is not none or tools_given -%}
{{ '<|bom|><|system|> ' + (system if system is not none else '') }}
{%- if tools_given -%}
{{ ('\n\n' if system else '') + '<tool_definitions>\n# Tools\n\n## Functions' }}
{%- for tool in tools -%}
{%- if 'type' in tool and tool.type is not none -%}{%- if tool.type == 'function' -%}{%- set tool = tool.function -%}{%- else -%}{{ raise_exception('Currently, the only supported tool type is ${"`"}function${"`"}') }}{%- endif -%}{%- endif -%}
{{ '\n\n' + tool | tojson(indent=2) }}
{%- endfor -%}
{{ '\n</tool_definitions>' }}
{%- endif -%}
{%- set state.count = 1 -%}
{%- endif -%}
{%- for message in turns -%}{%- if message.role == 'user' -%}{%- set state.last_user = loop.index0 -%}{%- endif -%}{%- endfor -%}
{%- for message in turns -%}
{%- if loop.index0 == state.last_user -%}${lastSystemTurn}{%- endif -%}
{%- set content = message.content or '' -%}
{{ ('<|eom|>' if state.count > 0 else '') + '<|bom|><|' + message.role + '|> ' + ('(' + message.name + ')' if 'name' in message and message.name is not none else '') }}{{ content if content is string else content | tojson }}
{%- if message.role == 'assistant' and 'tool_calls' in message and message.tool_calls is not none and message.tool_calls | length > 0 -%}
{{ '<tool_calls>[\n' }}
{%- for call in message.tool_calls -%}
{%- set call = call.function if 'function' in call and call.function is not none else call -%}
{{ '    {"name": "' + call.name + '", "arguments": ' + (call.arguments if call.arguments is string else call.arguments | tojson) + '}' + ('' if loop.last else ',') }}
{%- endfor -%}
{{ '\n]</tool_calls>' }}
{%- endif -%}
{%- if message.role == 'assistant' and 'citations' in message and message.citations is not none and message.citations | length > 0 -%}
{{ '<citations>[' + message.citations | map(attribute='document_id') | join(', ') + ']</citations>' }}
{%- endif -%}
{%- set state.count = state.count + 1 -%}
{%- endfor -%}
{%- if add_generation_prompt -%}
{{ ('<|eom|>' if state.count > 0 else '') + '<|bom|><|' + (role_to_predict if role_to_predict is defined and role_to_predict else 'assistant') + '|>' }}
{%- if generation_preamble is defined and generation_preamble is not none and generation_preamble.strip() != '' -%}{{ ' ' + generation_preamble }}{%- endif -%}
{%- elif state.count > 0 -%}{{ '<|eom|>' }}
{%- endif -%}`;

export const jambaFamily: AxolotlBuiltin[] = [{ name: "jamba", label: "Jamba", template: jamba, specialTokens: jambaTokens }];
