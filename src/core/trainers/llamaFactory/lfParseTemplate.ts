import type { ChatTemplateSource } from "../../templates/chatTemplate";
import { renderChat } from "../../templates/chatTemplate";
import type { ModelTokenizer } from "../../tokenizers/modelTokenizer";
import type { LlamaFactoryTemplateSpec } from "./templateSpec";

/** `find_diff`: the characters of the longer text that the shorter one lacks, in order. */
function findDiff(short: string, long: string): string {
  let i = 0;
  let diff = "";
  for (let j = 0; j < long.length; j++) {
    if (i < short.length && short[i] === long[j]) i++;
    else diff += long[j];
  }
  return diff;
}

/**
 * LLaMA-Factory's `parse_template`, used when the config names no `template`: slots read off the
 * tokenizer's own chat template by rendering `{{content}}` placeholders, a reasoning template when
 * the assistant's slot has a <think> block.
 */
export function parseTemplate(source: ChatTemplateSource, tokenizer: ModelTokenizer): LlamaFactoryTemplateSpec {
  const render = (messages: Array<{ role: string; content: string }>, addGenerationPrompt: boolean) => renderChat(source, messages, { addGenerationPrompt });
  const prefix = tokenizer.addsBos && tokenizer.bosToken ? tokenizer.bosToken : "";
  const placeholder = "{{content}}";
  const systemSlot = render([{ role: "system", content: placeholder }], false).slice(prefix.length);
  const userSlotEmptySystem = render(
    [
      { role: "system", content: "" },
      { role: "user", content: placeholder },
    ],
    true,
  ).slice(prefix.length);
  let userSlot = render([{ role: "user", content: placeholder }], true).slice(prefix.length);
  let assistantSlot = render(
    [
      { role: "user", content: placeholder },
      { role: "assistant", content: placeholder },
    ],
    false,
  ).slice(prefix.length + userSlot.length);
  const reasoning = assistantSlot.includes("<think>");
  assistantSlot = assistantSlot.replaceAll("<think>", "").replaceAll("</think>", "").replace(/^\n+/, "");
  let defaultSystem = "";
  if (userSlot.length > userSlotEmptySystem.length) {
    defaultSystem = findDiff(userSlotEmptySystem, userSlot);
    const soleSystem = systemSlot.replace(placeholder, () => defaultSystem);
    userSlot = userSlot.slice(soleSystem.length);
  }
  return {
    kind: reasoning ? "ReasoningTemplate" : "Template",
    user: [userSlot],
    assistant: [assistantSlot],
    system: [systemSlot],
    function: [assistantSlot],
    observation: [userSlot],
    prefix: prefix ? [prefix] : [],
    toolFormat: "default",
    functionFormat: "default",
    ...(defaultSystem ? { defaultSystem } : {}),
  };
}
