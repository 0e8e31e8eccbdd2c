import type { AxolotlBuiltin } from "./builtin";
import { requireText } from "./builtin";
import { deepseekTokens } from "../specialTokens";

/** DeepSeek V2: system text first, then <｜User｜> and <｜Assistant｜> turns, each answer closed by EOS. */
const deepseekV2 = String.raw`{{ bos_token }}
{%- for message in messages -%}
{%- if message['role'] in ['system', 'user', 'assistant'] -%}${requireText()}{%- endif -%}
{%- if message['role'] == 'user' -%}{{ '<｜User｜>' + message['content'] }}
{%- elif message['role'] == 'assistant' -%}{{ '<｜Assistant｜>' + message['content'] + eos_token }}
{%- elif message['role'] == 'system' -%}{{ message['content'] + '\n\n' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<｜Assistant｜>' }}{%- endif -%}`;

const fence = "```";
/** One tool call of DeepSeek V3: its type and name, and its arguments in a JSON code block. */
const toolCall = String.raw`'<｜tool▁call▁begin｜>' + call['type'] + '<｜tool▁sep｜>' + call['function']['name'] + '\n${fence}json\n' + call['function']['arguments'] + '\n${fence}<｜tool▁call▁end｜>'`;

/**
 * DeepSeek V3: every system message joined at the top; tool calls and tool outputs in their
 * blocks; an answer keeps only what follows </think>. The first call of the conversation opens
 * the assistant turn and the call block; later calls (in any later message too) follow on new lines.
 */
const deepseekV3 = String.raw`{%- for message in messages if message['role'] in ['system', 'user', 'tool'] or (message['role'] == 'assistant' and 'tool_calls' not in message) -%}${requireText()}{%- endfor -%}
{%- set ns = namespace(system='', seen_system=false, calls_started=false, in_tool_outputs=false, first_output=true) -%}
{%- for message in messages if message['role'] == 'system' -%}
{%- set ns.system = ns.system + ('\n\n' if ns.seen_system else '') + message['content'] -%}{%- set ns.seen_system = true -%}
{%- endfor -%}
{{ bos_token + ns.system }}
{%- for message in messages -%}
{%- if message['role'] == 'user' -%}
{%- set ns.in_tool_outputs = false -%}{{ '<｜User｜>' + message['content'] }}
{%- elif message['role'] == 'assistant' and 'tool_calls' in message -%}
{%- set ns.in_tool_outputs = false -%}
{%- for call in message['tool_calls'] -%}
{%- if call['function']['arguments'] is not string -%}{{ raise_exception("DeepSeek V3 writes a tool call's arguments as JSON text: arguments given as an object makes Axolotl's own template fail on this row") }}{%- endif -%}
{%- if ns.calls_started -%}{{ '\n' + ${toolCall} }}
{%- else -%}{{ '<｜Assistant｜>' + (message['content'] if message['content'] is not none else '') + '<｜tool▁calls▁begin｜>' + ${toolCall} }}{%- set ns.calls_started = true -%}
{%- endif -%}
{%- endfor -%}
{{ '<｜tool▁calls▁end｜><｜end▁of▁sentence｜>' }}
{%- elif message['role'] == 'assistant' -%}
{%- if ns.in_tool_outputs -%}{{ '<｜tool▁outputs▁end｜>' + message['content'] + '<｜end▁of▁sentence｜>' }}{%- set ns.in_tool_outputs = false -%}
{%- else -%}{{ '<｜Assistant｜>' + message['content'].split('</think>')[-1] + '<｜end▁of▁sentence｜>' }}
{%- endif -%}
{%- elif message['role'] == 'tool' -%}
{{ ('<｜tool▁outputs▁begin｜>' if ns.first_output else '') + '<｜tool▁output▁begin｜>' + message['content'] + '<｜tool▁output▁end｜>' }}
{%- set ns.first_output = false -%}{%- set ns.in_tool_outputs = true -%}
{%- endif -%}
{%- endfor -%}
{%- if ns.in_tool_outputs -%}{{ '<｜tool▁outputs▁end｜>' }}{%- elif add_generation_prompt -%}{{ '<｜Assistant｜>' }}{%- endif -%}`;

export const deepseekFamily: AxolotlBuiltin[] = [
  { name: "deepseek_v2", label: "DeepSeek V2", template: deepseekV2, specialTokens: deepseekTokens },
  { name: "deepseek_v3", label: "DeepSeek V3", template: deepseekV3, specialTokens: deepseekTokens },
];
