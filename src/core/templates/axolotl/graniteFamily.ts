import { graniteTokens } from "../specialTokens";
import type { AxolotlBuiltin } from "./builtin";
import { jinjaLiteral, requireText } from "./builtin";

const graniteIdentity = String.raw`'Knowledge Cutoff Date: April 2024.\nToday\'s Date: ' + strftime_now('%B %d, %Y') + '.\nYou are Granite, developed by IBM.'`;
const documentsRule =
  "Write the response to the user's input by strictly aligning with the facts in the provided documents. If the information needed to answer the question is not available in the documents, inform the user that the question cannot be answered based on the available data.";
const toolsRule = (assistant: string, respond: string) =>
  `You are a helpful ${assistant} with access to the following tools. When a tool is required to answer the user's query, ${respond} with <|tool_call|> followed by a JSON list of tools used. If a tool does not exist in the provided list of tools, notify the user that you do not have the ability to fulfill the request.`;
const graniteThinking =
  "You are a helpful AI assistant.\nRespond to every user query in a comprehensive and detailed way. You can write down your thoughts and reasoning process before responding. In the thought process, engage in a comprehensive cycle of analysis, summarization, exploration, reassessment, reflection, backtracing, and iteration to develop well-considered thinking process. In the response section, based on various attempts, explorations, and reflections from the thoughts section, systematically present the final solution that you deem correct. The response should summarize the thought process. Write your thoughts between <think></think> and write your response between <response></response> for each user query.";

/** Granite's turns, and the assistant header with the `controls` a generation prompt asks for. */
const graniteTurns = String.raw`{%- for message in turns -%}${requireText()}
{{ '<|start_of_role|>' + message['role'] + '<|end_of_role|>' + message['content'] + '<|end_of_text|>\n' }}
{%- if loop.last and add_generation_prompt -%}{{ '<|start_of_role|>assistant' + (' ' + controls | tojson if controls is defined and controls else '') + '<|end_of_role|>' }}{%- endif -%}
{%- endfor -%}`;

const controlAsks = (name: string) => `controls is defined and '${name}' in controls and documents`;

/**
 * Granite 3.x: <|start_of_role|> turns; without a system message, IBM's (with today's date and a
 * sentence for tools, documents or thinking); tools and documents as turns of their own.
 */
const granite = String.raw`{%- set tools_given = available_tools if available_tools is defined and available_tools else (tools if tools is defined else none) -%}
{%- if messages[0]['role'] == 'system' -%}${requireText("messages[0]")}{%- set system = messages[0]['content'] -%}{%- set turns = messages[1:] -%}
{%- else -%}
{%- set system = ${graniteIdentity} + ' ' + (${jinjaLiteral(toolsRule("assistant", "respond only"))} + '\n' + ${jinjaLiteral(documentsRule)} if tools_given and documents else (${jinjaLiteral(toolsRule("assistant", "respond only"))} if tools_given else (${jinjaLiteral(documentsRule)} if documents else (${jinjaLiteral(graniteThinking)} if thinking else 'You are a helpful AI assistant.')))) -%}
{%- if ${controlAsks("citations")} -%}{%- set system = system + ${jinjaLiteral("\nUse the symbols <|start_of_cite|> and <|end_of_cite|> to indicate when a fact comes from a document in the search result, e.g <|start_of_cite|> {document_id: 1}my fact <|end_of_cite|> for a fact from document 1. Afterwards, list all the citations with their corresponding documents in an ordered list.")} -%}{%- endif -%}
{%- if ${controlAsks("hallucinations")} -%}{%- set system = system + ${jinjaLiteral("\nFinally, after the response is written, include a numbered list of sentences from the response with a corresponding risk value that are hallucinated and not based in the documents.")} -%}{%- endif -%}
{%- set turns = messages -%}
{%- endif -%}
{{ '<|start_of_role|>system<|end_of_role|>' + system + '<|end_of_text|>\n' }}
{%- if tools_given -%}{{ '<|start_of_role|>available_tools<|end_of_role|>' + tools_given | tojson(indent=4) + '<|end_of_text|>\n' }}{%- endif -%}
{%- if documents -%}{%- for document in documents -%}
{{ '<|start_of_role|>document {"document_id": "' + document['doc_id'] | string + '"}<|end_of_role|>\n' + document['text'] + '<|end_of_text|>\n' }}
{%- endfor -%}{%- endif -%}
${graniteTurns}`;

/** Granite 3.0 MoE: the same turns; its own wording for tools and controls, and one documents turn. */
const graniteMoe = String.raw`{%- if messages[0]['role'] == 'system' -%}${requireText("messages[0]")}{%- set system = messages[0]['content'] -%}{%- set turns = messages[1:] -%}
{%- else -%}
{%- set system = ${graniteIdentity} + ' ' + (${jinjaLiteral(toolsRule("AI assistant", "respond"))} + '\n\n' + ${jinjaLiteral(documentsRule)} if tools and documents else (${jinjaLiteral(toolsRule("AI assistant", "respond"))} if tools else (${jinjaLiteral(documentsRule)} if documents else 'You are a helpful AI assistant.'))) -%}
{%- if ${controlAsks("citations")} -%}{%- set system = system + ${jinjaLiteral("\n\nIn your response, use the symbols <co> and </co> to indicate when a fact comes from a document in the search result, e.g <co>0</co> for a fact from document 0. Afterwards, list all the citations with their corresponding documents in an ordered list.")} -%}{%- endif -%}
{%- if ${controlAsks("hallucinations")} -%}{%- set system = system + ${jinjaLiteral("\n\nFinally, after the response is written, include a numbered list of sentences from the response that are potentially hallucinated and not based in the documents.")} -%}{%- endif -%}
{%- set turns = messages -%}
{%- endif -%}
{{ '<|start_of_role|>system<|end_of_role|>' + system + '<|end_of_text|>\n' }}
{%- if tools -%}{{ '<|start_of_role|>tools<|end_of_role|>' + tools | tojson(indent=4) + '<|end_of_text|>\n' }}{%- endif -%}
{%- if documents -%}{{ '<|start_of_role|>documents<|end_of_role|>' }}
{%- for document in documents -%}{{ 'Document ' + loop.index0 | string + '\n' + document['text'] + ('' if loop.last else '\n\n') }}{%- endfor -%}
{{ '<|end_of_text|>\n' }}{%- endif -%}
${graniteTurns}`;

export const graniteFamily: AxolotlBuiltin[] = [
  { name: "granite", label: "Granite 3", template: granite, specialTokens: graniteTokens },
  { name: "granitemoe", label: "Granite 3 MoE", template: graniteMoe, specialTokens: graniteTokens },
];
