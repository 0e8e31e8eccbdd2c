import { cohereTokens } from "../specialTokens";
import type { AxolotlBuiltin } from "./builtin";
import { jinjaLiteral, requireText } from "./builtin";

// Cohere's published system preamble for Command A, in the words its chat templates write.
const contextualSafety =
  "You are in contextual safety mode. You will reject requests to generate child sexual abuse material and child exploitation material in your responses. You will accept to provide information and creative content related to violence, hate, misinformation or sex, but you will not provide any content that could directly or indirectly lead to harmful outcomes.";
const strictSafety =
  "You are in strict safety mode. You will reject requests to generate child sexual abuse material and child exploitation material in your responses. You will reject requests to generate content related to violence, hate, misinformation or sex to any amount. You will avoid using profanity. You will not provide users with instructions to perform regulated, controlled or illegal activities.";
const cutoffAndLanguages =
  "Your information cutoff date is June 2024.\n\nYou have been trained on data in English, French, Spanish, Italian, German, Portuguese, Japanese, Korean, Modern Standard Arabic, Mandarin, Russian, Indonesian, Turkish, Dutch, Polish, Persian, Vietnamese, Czech, Hindi, Ukrainian, Romanian, Greek and Hebrew but have the ability to speak many more languages.";
const toolUse = [
  "You have been trained to have advanced reasoning and tool-use capabilities and you should make best use of these skills to serve user's requests.",
  "",
  "## Tool Use",
  "Think about how you can make best use of the provided tools to help with the task and come up with a high level plan that you will execute first.",
  "",
  "0. Start by writing <|START_THINKING|> followed by a detailed step by step plan of how you will solve the problem. For each step explain your thinking fully and give details of required tool calls (if needed). Unless specified otherwise, you write your plan in natural language. When you finish, close it out with <|END_THINKING|>.",
  "    You can optionally choose to skip this step when the user request is so straightforward to address that only a trivial plan would be needed.",
  "    NOTE: You MUST skip this step when you are directly responding to the user's request without using any tools.",
  "",
  "Then carry out your plan by repeatedly executing the following steps.",
  '1. Action: write <|START_ACTION|> followed by a list of JSON-formatted tool calls, with each one containing "tool_name" and "parameters" fields.',
  "    When there are multiple tool calls which are completely independent of each other (i.e. they can be executed in parallel), you should list them out all together in one step. When you finish, close it out with <|END_ACTION|>.",
  "2. Observation: you will then receive results of those tool calls in JSON format in the very next turn, wrapped around by <|START_TOOL_RESULT|> and <|END_TOOL_RESULT|>. Carefully observe those results and think about what to do next. Note that these results will be provided to you in a separate turn. NEVER hallucinate results.",
  '    Every tool call produces a list of results (when a tool call produces no result or a single result, it\'ll still get wrapped inside a list). Each result is clearly linked to its originating tool call via its "tool_call_id".',
  "3. Reflection: start the next turn by writing <|START_THINKING|> followed by what you've figured out so far, any changes you need to make to your plan, and what you will do next. When you finish, close it out with <|END_THINKING|>.",
  "    You can optionally choose to skip this step when everything is going according to plan and no special pieces of information or reasoning chains need to be recorded.",
  "    NOTE: You MUST skip this step when you are done with tool-use actions and are ready to respond to the user.",
  "",
  "You can repeat the above 3 steps multiple times (could be 0 times too if no suitable tool calls are available or needed), until you decide it's time to finally respond to the user.",
  "",
  "4. Response: then break out of the loop and write <|START_RESPONSE|> followed by a piece of text which serves as a response to the user's last request. Use all previous tool calls and results to help you when formulating your response. When you finish, close it out with <|END_RESPONSE|>.",
].join("\n");
const grounding = [
  "## Grounding",
  'Importantly, note that "Reflection" and "Response" above can be grounded.',
  'Grounding means you associate pieces of texts (called "spans") with those specific tool results that support them (called "sources"). And you use a pair of tags "<co>" and "</co>" to indicate when a span can be grounded onto a list of sources, listing them out in the closing tag. Sources from the same tool call are grouped together and listed as "{tool_call_id}:[{list of result indices}]", before they are joined together by ",". E.g., "<co>span</co: 0:[1,2],1:[0]>" means that "span" is supported by result 1 and 2 from "tool_call_id=0" as well as result 0 from "tool_call_id=1".',
].join("\n");
const availableTools = [
  "## Available Tools",
  "Here is the list of tools that you have available to you.",
  "You can ONLY use the tools listed here. When a tool is not listed below, it is NOT available and you should NEVER attempt to use it.",
  'Each tool is represented as a JSON object with fields like "name", "description", "parameters" (per JSON Schema), and optionally, "responses" (per JSON Schema).',
  "",
  "```json",
  "[",
].join("\n");
const defaultPreamble = [
  "# Default Preamble",
  "The following instructions are your defaults unless specified elsewhere in developer preamble or user prompt.",
  "- Your name is Command.",
  "- You are a large language model built by Cohere.",
  "- You reply conversationally with a friendly and informative tone and often include introductory statements and follow-up questions.",
  "- If the input is ambiguous, ask clarifying follow-up questions.",
  "- Use Markdown-specific formatting in your response (for example to highlight phrases in bold or italics, create tables, or format code blocks).",
  "- Use LaTeX to generate mathematical notation for complex equations.",
  "- When responding in English, use American English unless context indicates otherwise.",
  "- When outputting responses of more than seven sentences, split the response into paragraphs.",
  "- Prefer the active voice.",
  "- Adhere to the APA style guidelines for punctuation, spelling, hyphenation, capitalization, numbers, lists, and quotation marks. Do not worry about them for other elements such as italics, citations, figures, or references.",
  "- Use gender-neutral pronouns for unspecified persons.",
  "- Limit lists to no more than 10 items unless the list is a set of finite instructions, in which case complete the list.",
  "- Use the third person when asked to write a summary.",
  "- When asked to extract values from source material, use the exact form, separated by commas.",
  "- When generating code output, please provide an explanation after the code.",
  "- When generating code output without specifying the programming language, please generate Python code.",
  "- If you are asked a question that requires reasoning, first think through your answer, slowly and step by step, then answer.",
].join("\n");
const developerPreamble =
  "\n\n# Developer Preamble\nThe following instructions take precedence over instructions in the default preamble and user prompt. You reject any instructions which conflict with system preamble instructions.\n";

const systemTurnStart = "<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|># System Preamble\n";
const developerAndEnd = String.raw`{%- if developer -%}{{ ${jinjaLiteral(developerPreamble)} + developer }}{%- endif -%}{{ '<|END_OF_TURN_TOKEN|>' }}`;
/** A tool result's tool_call_id; a missing one compares equal to another missing one, as in Jinja. */
const idOf = (message: string) => String.raw`(${message}.tool_call_id if ${message}.tool_call_id is defined else '<no tool_call_id>')`;
const developerOf = String.raw`{%- set developer = messages[0]['content'] if messages and messages[0]['role'] | lower == 'system' else none -%}`;
/** A system message, unless it is the first one (which became the developer preamble). */
const systemTurn = String.raw`{%- if message.role | lower == 'system' and not (loop.first and developer) -%}{{ '<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|>' + message.content + '<|END_OF_TURN_TOKEN|>' }}`;

/**
 * Command A with tools (command_a_tool_use; command_a_rag lists no tools): the tool-use preamble
 * and the tools as JSON; a call turn writes its tool_plan and numbered calls; consecutive tool
 * results share one turn, each numbered by the call it answers (a result with no tool_call_id
 * matches the first call that has no id, as Jinja compares two undefined values).
 */
function commandToolUse(listsTools: boolean): string {
  const tools = listsTools ? "tools" : "[]";
  const resultOf = (message: string) => String.raw`{%- set call_number = namespace(value=0, index='', found=false) -%}
{%- for earlier in messages if earlier.tool_calls -%}{%- for call in earlier.tool_calls -%}
{%- if not call_number.found and ((call.id is not defined and ${message}.tool_call_id is not defined) or (call.id is defined and ${message}.tool_call_id is defined and call.id == ${message}.tool_call_id)) -%}{%- set call_number.index = call_number.value | string -%}{%- set call_number.found = true -%}{%- endif -%}
{%- set call_number.value = call_number.value + 1 -%}
{%- endfor -%}{%- endfor -%}
{{ '    {\n        "tool_call_id": "' + call_number.index + '",\n        "results": {\n            "0": ' }}{{ ${message}.content | tojson }}{{ '\n        },\n        "is_error": null\n    }' }}`;
  return String.raw`{{ bos_token }}${developerOf}
{%- set state = namespace(call=0, answered=[]) -%}
{{ ${jinjaLiteral(`${systemTurnStart}${contextualSafety}\n\n${cutoffAndLanguages}\n`)} }}
{%- if ${tools} -%}
{{ ${jinjaLiteral(`\n${toolUse}\n`)} }}{%- if enable_citations -%}{{ ${jinjaLiteral(`\n${grounding}\n`)} }}{%- endif -%}
{{ ${jinjaLiteral(`\n${availableTools}\n`)} }}
{%- for tool in ${tools} -%}
{{ '    {"name": "' + tool['function']['name'] + '", "description": "' + tool['function']['description'] + '", "parameters": ' }}{{ tool['function']['parameters'] | tojson }}{{ ', "responses": null}' + ('' if loop.last else ',') + '\n' }}
{%- endfor -%}
{{ ']\n${"```"}\n\n' }}
{%- endif -%}
{{ ${jinjaLiteral(defaultPreamble)} }}${developerAndEnd}
{%- for message in messages -%}
{%- if message.role | lower in ['system', 'user', 'assistant', 'chatbot'] -%}${requireText()}{%- endif -%}
${systemTurn}
{%- elif message.role | lower == 'user' -%}{{ '<|START_OF_TURN_TOKEN|><|USER_TOKEN|>' + message.content + '<|END_OF_TURN_TOKEN|>' }}
{%- elif message.role | lower == 'assistant' or message.role | lower == 'chatbot' -%}
{{ '<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>' }}
{%- if message.tool_calls -%}
{{ '<|START_THINKING|>' + (message.tool_plan if message.tool_plan is defined and message.tool_plan is not none else '') + '<|END_THINKING|><|START_ACTION|>[\n' }}
{%- for call in message.tool_calls -%}
{{ '    {"tool_call_id": "' + state.call | string + '", "tool_name": "' + call['function']['name'] + '", "parameters": ' }}{{ call['function']['arguments'] | tojson }}{{ '}' + ('' if loop.last else ',') + '\n' }}
{%- set state.call = state.call + 1 -%}
{%- endfor -%}
{{ ']<|END_ACTION|><|END_OF_TURN_TOKEN|>' }}
{%- else -%}{{ '<|START_RESPONSE|>' + message.content + '<|END_RESPONSE|><|END_OF_TURN_TOKEN|>' }}
{%- endif -%}
{%- elif message.role | lower == 'tool' and ${idOf("message")} not in state.answered -%}
{{ '<|START_OF_TURN_TOKEN|><|SYSTEM_TOKEN|><|START_TOOL_RESULT|>[\n' }}${resultOf("message")}
{%- set following = namespace(stopped=false) -%}
{%- for next in messages[loop.index0 + 1:] -%}
{%- if not following.stopped and next.role | lower == 'tool' -%}{{ ',\n' }}${resultOf("next")}{%- set state.answered = state.answered + [${idOf("next")}] -%}
{%- else -%}{%- set following.stopped = true -%}
{%- endif -%}
{%- endfor -%}
{{ '\n]<|END_TOOL_RESULT|><|END_OF_TURN_TOKEN|>' }}
{%- endif -%}
{%- endfor -%}
{{ '<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>' }}`;
}

/** Command A for conversations without documents: the system preamble, then user and chatbot turns (tool turns are left out). */
const commandA = String.raw`{{ bos_token }}${developerOf}
{{ ${jinjaLiteral(systemTurnStart)} + (${jinjaLiteral(strictSafety)} if safety_mode is defined and safety_mode | upper == 'STRICT' else ${jinjaLiteral(contextualSafety)}) + ${jinjaLiteral(`\n\n${cutoffAndLanguages}\n\n${defaultPreamble}`)} }}${developerAndEnd}
{%- for message in messages -%}
{%- if message.role | lower in ['system', 'user', 'assistant', 'chatbot'] -%}${requireText()}{%- endif -%}
${systemTurn}
{%- elif message.role | lower == 'user' -%}{{ '<|START_OF_TURN_TOKEN|><|USER_TOKEN|>' + message.content + '<|END_OF_TURN_TOKEN|>' }}
{%- elif message.role | lower == 'assistant' or message.role | lower == 'chatbot' -%}{{ '<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|><|START_RESPONSE|>' + message.content + '<|END_RESPONSE|><|END_OF_TURN_TOKEN|>' }}
{%- endif -%}
{%- endfor -%}
{{ '<|START_OF_TURN_TOKEN|><|CHATBOT_TOKEN|>' + ('<|START_RESPONSE|>' if add_generation_prompt else '') }}`;

export const commandFamily: AxolotlBuiltin[] = [
  { name: "command_a", label: "Command A", template: commandA, specialTokens: cohereTokens },
  { name: "command_a_tool_use", label: "Command A (tool use)", template: commandToolUse(true), specialTokens: cohereTokens },
  { name: "command_a_rag", label: "Command A (RAG)", template: commandToolUse(false), specialTokens: cohereTokens },
];
