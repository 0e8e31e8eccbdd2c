import { phi3Tokens, phi4Tokens } from "../specialTokens";
import type { AxolotlBuiltin } from "./builtin";
import { requireText } from "./builtin";

/** Phi-3: the user turn ends by opening the assistant's (<|assistant|>), after BOS. */
const phi3 = String.raw`{{ bos_token }}
{%- for message in messages -%}
{%- if message['role'] in ['system', 'user', 'assistant'] -%}${requireText()}{%- endif -%}
{%- if message['role'] == 'system' -%}{{ '<|system|>\n' + message['content'] + '<|end|>\n' }}
{%- elif message['role'] == 'user' -%}{{ '<|user|>\n' + message['content'] + '<|end|>\n<|assistant|>\n' }}
{%- elif message['role'] == 'assistant' -%}{{ message['content'] + '<|end|>\n' }}
{%- endif -%}
{%- endfor -%}`;

/** Phi-3.5: each turn under its own tag, no BOS; an empty system prompt is left out. */
const phi35 = String.raw`{%- for message in messages -%}
{%- if (message['role'] == 'system' and message['content']) or message['role'] in ['user', 'assistant'] -%}${requireText()}{%- endif -%}
{%- if message['role'] == 'system' and message['content'] -%}{{ '<|system|>\n' + message['content'] + '<|end|>\n' }}
{%- elif message['role'] == 'user' or message['role'] == 'assistant' -%}{{ '<|' + message['role'] + '|>\n' + message['content'] + '<|end|>\n' }}
{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|assistant|>\n' }}{%- endif -%}`;

const phi4ReasoningSystem =
  "You are Phi, a language model trained by Microsoft to help users. Your role as an assistant involves thoroughly exploring questions through a systematic thinking process before providing the final precise and accurate solutions. This requires engaging in a comprehensive cycle of analysis, summarizing, exploration, reassessment, reflection, backtracing, and iteration to develop well-considered thinking process. Please structure your response into two main sections: Thought and Solution using the specified format: <think> {Thought section} </think> {Solution section}. In the Thought section, detail your reasoning process in steps. Each step should include detailed considerations such as analysing questions, summarizing relevant findings, brainstorming new ideas, verifying the accuracy of the current steps, refining any errors, and revisiting previous steps. In the Solution section, based on various attempts, explorations, and reflections from the Thought section, systematically present the final solution that you deem correct. The Solution section should be logical, accurate, and concise and detail necessary steps needed to reach the conclusion. Now, try to solve the following question through the above guidelines:";

/** Phi-4 (reasoning): ChatML-like turns with <|im_sep|>, no newlines, and its reasoning system prompt by default. */
const phi4 = String.raw`{%- set has_system = messages and messages[0]['role'] == 'system' -%}
{%- if has_system -%}${requireText("messages[0]")}{%- endif -%}
{{ '<|im_start|>system<|im_sep|>' + (messages[0]['content'] if has_system else '${phi4ReasoningSystem}') + '<|im_end|>' }}
{%- for message in (messages[1:] if has_system else messages) -%}
{%- if message['role'] == 'user' or message['role'] == 'assistant' -%}${requireText()}{{ '<|im_start|>' + message['role'] + '<|im_sep|>' + message['content'] + '<|im_end|>' }}{%- endif -%}
{%- endfor -%}
{%- if add_generation_prompt -%}{{ '<|im_start|>assistant<|im_sep|>' }}{%- endif -%}`;

export const phiFamily: AxolotlBuiltin[] = [
  { name: "phi_3", label: "Phi-3", template: phi3, specialTokens: phi3Tokens },
  { name: "phi_35", label: "Phi-3.5", template: phi35, specialTokens: phi3Tokens },
  { name: "phi_4", label: "Phi-4", template: phi4, specialTokens: phi4Tokens },
];
