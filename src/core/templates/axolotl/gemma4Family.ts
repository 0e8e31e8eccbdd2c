import type { AxolotlBuiltin } from "./builtin";
import { gemmaTokens } from "../specialTokens";

/**
 * Gemma 4's compact notation for values: strings between <|"|> quotes, mappings with their keys
 * sorted (keys quoted unless `quote_keys` is false), lists in brackets.
 */
const argMacro = String.raw`{%- macro arg(value, quote_keys=true) -%}
{%- if value is string -%}{{ '<|"|>' + value + '<|"|>' }}
{%- elif value is boolean -%}{{ 'true' if value else 'false' }}
{%- elif value is mapping -%}{{ '{' }}{%- for key, item in value | dictsort -%}{{ ('' if loop.first else ',') + ('<|"|>' + key + '<|"|>' if quote_keys else key) + ':' }}{{ arg(item, quote_keys) }}{%- endfor -%}{{ '}' }}
{%- elif value is sequence -%}{{ '[' }}{%- for item in value -%}{{ arg(item, quote_keys) + ('' if loop.last else ',') }}{%- endfor -%}{{ ']' }}
{%- else -%}{{ value }}
{%- endif -%}
{%- endmacro -%}`;

/** A model turn's text without its thinking channels (<|channel>…<channel|>). */
const stripThinkingMacro = String.raw`{%- macro strip_thinking(text) -%}
{%- set kept = namespace(text='') -%}
{%- for part in text.split('<channel|>') -%}{%- set kept.text = kept.text + part.split('<|channel>')[0] -%}{%- endfor -%}
{{ kept.text | trim }}
{%- endmacro -%}`;

const quotedList = (list: string) =>
  String.raw`{{ '[' }}{%- for item in ${list} -%}{{ '<|"|>' + item + '<|"|>' + ('' if loop.last else ',') }}{%- endfor -%}{{ ']' }}`;
/** A property's type in capitals; a list of types as Python prints a list (the template upper-cases its text). */
const upperType = String.raw`(value['type'] | upper if value['type'] is string else ('[\'' + value['type'] | join('\', \'') + '\']') | upper if value['type'] is defined and value['type'] is sequence else '')`;
/** A comma when something was written before in this property, and a note that something now is. */
const comma = String.raw`{{ ',' if written.any else '' }}{%- set written.any = true -%}`;

/** An array property's `items`, keys sorted, as Gemma 4 writes them. */
const itemsBody = String.raw`{%- set item_seen = namespace(any=false) -%}
{%- for item_key, item_value in value['items'] | dictsort -%}{%- if item_value is not none -%}
{{ ',' if item_seen.any else '' }}{%- set item_seen.any = true -%}
{%- if item_key == 'properties' -%}{{ 'properties:{' }}{%- if item_value is mapping -%}{{ props(item_value) }}{%- endif -%}{{ '}' }}
{%- elif item_key == 'required' -%}{{ 'required:' }}${quotedList("item_value")}
{%- elif item_key == 'type' -%}{{ 'type:' }}{%- if item_value is string -%}{{ arg(item_value | upper) }}{%- else -%}{{ '[' }}{%- for kind in item_value -%}{{ '<|"|>' + kind | upper + '<|"|>' + ('' if loop.last else ',') }}{%- endfor -%}{{ ']' }}{%- endif -%}
{%- else -%}{{ item_key + ':' }}{{ arg(item_value) }}
{%- endif -%}
{%- endif -%}{%- endfor -%}`;

/**
 * A function's parameters, as Gemma 4's template declares them: each property's description,
 * enum, items, nullability, nested properties and required list, then its type; a comma only
 * where something was written before.
 */
const propsMacro = (() => {
  const describe = String.raw`{%- if value['description'] -%}{{ 'description:<|"|>' + value['description'] + '<|"|>' }}{%- set written.any = true -%}{%- endif -%}`;
  const nullable = String.raw`{%- if value['nullable'] -%}${comma}{{ 'nullable:true' }}{%- endif -%}`;
  const enumOf = String.raw`{%- if ${upperType} == 'STRING' and value['enum'] -%}${comma}{{ 'enum:' }}{{ arg(value['enum']) }}{%- endif -%}`;
  const required = String.raw`{%- if value['required'] -%}${comma}{{ 'required:' }}${quotedList("value['required']")}{%- endif -%}`;
  const objectBody = String.raw`{%- if value['properties'] is defined and value['properties'] is mapping -%}${comma}{{ 'properties:{' }}{{ props(value['properties']) }}{{ '}' }}
{%- elif value is mapping -%}${comma}{{ 'properties:{' }}{{ props(value, true) }}{{ '}' }}{%- endif -%}${required}`;
  const arrayBody = String.raw`{%- if value['items'] is mapping and value['items'] -%}${comma}{{ 'items:{' }}${itemsBody}{{ '}' }}{%- endif -%}`;
  return String.raw`{%- macro props(properties, filter_keys=false) -%}
{%- set standard = ['description', 'type', 'properties', 'required', 'nullable'] -%}
{%- set seen = namespace(any=false) -%}
{%- for key, value in properties | dictsort -%}{%- if not filter_keys or key not in standard -%}
{{ ',' if seen.any else '' }}{%- set seen.any = true -%}
{%- set written = namespace(any=false) -%}
{{ key + ':{' }}${describe}${enumOf}{%- if ${upperType} == 'ARRAY' -%}${arrayBody}{%- endif -%}${nullable}{%- if ${upperType} == 'OBJECT' -%}${objectBody}{%- endif -%}
${comma}{{ 'type:<|"|>' + ${upperType} + '<|"|>}' }}
{%- endif -%}{%- endfor -%}
{%- endmacro -%}`;
})();

/** A tool's declaration: its name, description, parameters and response. */
const declarationMacro = String.raw`{%- macro declaration(tool) -%}
{%- set fn = tool['function'] -%}
{{ 'declaration:' + fn['name'] + '{description:<|"|>' + (fn['description'] if fn['description'] is defined else '') + '<|"|>' }}
{%- set p = fn['parameters'] -%}
{%- if p -%}{{ ',parameters:{' }}
{%- if p['properties'] -%}{{ 'properties:{' }}{{ props(p['properties']) }}{{ '},' }}{%- endif -%}
{%- if p['required'] -%}{{ 'required:' }}${quotedList("p['required']")}{{ ',' }}{%- endif -%}
{%- if p['type'] -%}{{ 'type:<|"|>' + p['type'] | upper + '<|"|>}' }}{%- endif -%}
{%- endif -%}
{%- if 'response' in fn -%}{{ ',response:{' }}
{%- if fn['response']['description'] -%}{{ 'description:<|"|>' + fn['response']['description'] + '<|"|>,' }}{%- endif -%}
{%- if fn['response']['type'] is defined and fn['response']['type'] | upper == 'OBJECT' -%}{{ 'type:<|"|>OBJECT<|"|>}' }}{%- endif -%}
{%- endif -%}
{{ '}' }}
{%- endmacro -%}`;

/** A tool result: `response:NAME{...}` with a mapping's keys sorted, or `{value:...}`. */
const responseMacro = String.raw`{%- macro tool_response(name, response) -%}
{{ '<|tool_response>response:' + name + '{' }}
{%- if response is mapping -%}{%- for key, item in response | dictsort -%}{{ ('' if loop.first else ',') + key + ':' }}{{ arg(item, false) }}{%- endfor -%}
{%- else -%}{{ 'value:' }}{{ arg(response, false) }}
{%- endif -%}
{{ '}<tool_response|>' }}
{%- endmacro -%}`;

const toolCalls = String.raw`{%- for call in message['tool_calls'] -%}
{{ '<|tool_call>call:' + call['function']['name'] + '{' }}
{%- if call['function']['arguments'] is mapping -%}{%- for key, item in call['function']['arguments'] | dictsort -%}{{ ('' if loop.first else ',') + key + ':' }}{{ arg(item, false) }}{%- endfor -%}
{%- elif call['function']['arguments'] is string -%}{{ call['function']['arguments'] }}
{%- endif -%}
{{ '}<tool_call|>' }}
{%- endfor -%}{%- set state.last = 'tool_call' -%}`;

/** A turn's content: a model's text without thinking, others' trimmed; media as their tokens. */
function contentOf(media: Record<string, string>): string {
  const parts = Object.entries(media)
    .map(
      ([type, token]) => String.raw`{%- elif part['type'] == '${type}' -%}{{ ${JSON.stringify(token).replace(/"/g, "'")} }}{%- set state.last = '${type}' -%}`,
    )
    .join("\n");
  return String.raw`{%- if message['content'] is string -%}{{ strip_thinking(message['content']) if role == 'model' else message['content'] | trim }}
{%- elif message['content'] is sequence -%}{%- for part in message['content'] -%}
{%- if part['type'] == 'text' -%}{{ strip_thinking(part['text']) if role == 'model' else part['text'] | trim }}
${parts}
{%- endif -%}
{%- endfor -%}{%- endif -%}`;
}

const systemTurn = (thinkToken: string, systemText: string) => String.raw`{%- set thinking = enable_thinking is defined and enable_thinking -%}
{%- set has_system = messages[0]['role'] in ['system', 'developer'] -%}
{%- if thinking or tools or has_system -%}
{{ '<|turn>system\n' }}{%- if thinking -%}{{ '${thinkToken}' }}{%- set state.last = 'think' -%}{%- endif -%}
{%- if has_system -%}${systemText}{%- endif -%}
{%- if tools -%}{%- for tool in tools -%}{{ '<|tool>' }}{{ declaration(tool) | trim }}{{ '<tool|>' }}{%- endfor -%}{%- set state.last = 'tool' -%}{%- endif -%}
{{ '<turn|>\n' }}
{%- endif -%}
{%- set turns = messages[1:] if has_system else messages -%}`;

/** The text of a tool result given as content parts, and then its media tokens. */
const toolResultParts = String.raw`{%- set text = namespace(value='') -%}
{%- for part in body -%}{%- if part['type'] is defined and part['type'] == 'text' -%}{%- set text.value = text.value + (part['text'] if part['text'] is defined else '') -%}{%- endif -%}{%- endfor -%}
{{ tool_response(name.value, text.value) }}
{%- for part in body -%}{%- if part['type'] is defined and part['type'] in ['image', 'audio', 'video'] -%}{{ '<|' + part['type'] + '|>' }}{%- endif -%}{%- endfor -%}`;

/**
 * Gemma 4 as Axolotl writes it since #3686 (2026-05-27), Google's current template, under both
 * names: <|turn>role … <turn|> turns (the assistant's role is "model"), the system prompt and tool
 * declarations in a system turn, tool calls inline; tool results given as role "tool" messages
 * join the call's model turn (named by the call they answer), consecutive model turns share one
 * header, a reasoning text before tool calls goes in a thought channel, and media are written
 * without surrounding blank lines.
 */
const gemma4 = String.raw`${argMacro}${stripThinkingMacro}${propsMacro}${declarationMacro}${responseMacro}
{{ bos_token }}
{%- set state = namespace(last=none, last_user=-1, previous=none) -%}
${systemTurn("<|think|>\\n", "{%- if messages[0]['content'] is string -%}{{ messages[0]['content'] | trim }}{%- elif messages[0]['content'] is sequence -%}{%- for part in messages[0]['content'] -%}{{ part['text'] | trim + ' ' }}{%- endfor -%}{%- endif -%}")}
{%- for message in turns -%}{%- if message['role'] == 'user' -%}{%- set state.last_user = loop.index0 -%}{%- endif -%}{%- endfor -%}
{%- for message in turns -%}{%- if message['role'] != 'tool' -%}
{%- set state.last = none -%}
{%- set role = 'model' if message['role'] == 'assistant' else message['role'] -%}
{%- if not (role == 'model' and state.previous == 'assistant') -%}{{ '<|turn>' + role + '\n' }}{%- endif -%}
{%- set state.previous = message['role'] -%}
{%- set reasoning = message['reasoning'] if message['reasoning'] is defined and message['reasoning'] else (message['reasoning_content'] if message['reasoning_content'] is defined else none) -%}
{%- if reasoning and loop.index0 > state.last_user and message['tool_calls'] -%}{{ '<|channel>thought\n' + reasoning + '\n<channel|>' }}{%- endif -%}
{%- if message['tool_calls'] -%}${toolCalls}{%- endif -%}
{%- set answered = namespace(any=false, scanning=true) -%}
{%- if message['tool_responses'] -%}
{%- for response in message['tool_responses'] -%}{{ tool_response(response['name'] if response['name'] is defined else 'unknown', response['response']) }}{%- set answered.any = true -%}{%- set state.last = 'tool_response' -%}{%- endfor -%}
{%- elif message['tool_calls'] -%}
{%- for follow in turns[loop.index0 + 1:] -%}
{%- if answered.scanning and follow['role'] != 'tool' -%}{%- set answered.scanning = false -%}
{%- elif answered.scanning -%}
{%- set name = namespace(value=follow['name'] if follow['name'] is defined else none) -%}
{%- for call in message['tool_calls'] -%}{%- if (call['id'] is not defined and follow['tool_call_id'] is not defined) or (call['id'] is defined and follow['tool_call_id'] is defined and call['id'] == follow['tool_call_id']) -%}{%- set name.value = call['function']['name'] -%}{%- endif -%}{%- endfor -%}
{%- if name.value is none -%}{{ raise_exception("A tool result with no name and no tool_call_id of a call before it makes Axolotl's own template fail on this row") }}{%- endif -%}
{%- set body = follow['content'] if follow['content'] is defined else none -%}
{%- if body is not string and body is sequence -%}${toolResultParts}{%- else -%}{{ tool_response(name.value, body) }}{%- endif -%}
{%- set answered.any = true -%}{%- set state.last = 'tool_response' -%}
{%- endif -%}
{%- endfor -%}
{%- endif -%}
{%- set shown -%}${contentOf({ image: "<|image|>", audio: "<|audio|>", video: "<|video|>" })}{%- endset -%}
{{ shown }}
{%- if state.last == 'tool_call' and not answered.any -%}{{ '<|tool_response>' }}
{%- elif not (answered.any and shown | trim | length == 0) -%}{{ '<turn|>\n' }}
{%- endif -%}
{%- endif -%}{%- endfor -%}
{%- if add_generation_prompt and state.last != 'tool_response' and state.last != 'tool_call' -%}
{{ '<|turn>model\n' }}{%- if not thinking -%}{{ '<|channel>thought\n<channel|>' }}{%- endif -%}
{%- endif -%}`;

export const gemma4Family: AxolotlBuiltin[] = [
  { name: "gemma4", label: "Gemma 4", template: gemma4, specialTokens: gemmaTokens },
  { name: "gemma4_unified", label: "Gemma 4 (unified tool results)", template: gemma4, specialTokens: gemmaTokens },
];
