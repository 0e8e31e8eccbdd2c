import type { AxolotlBuiltin } from "./builtin";
import { chatmlFamily } from "./chatmlFamily";
import { cohereFamily } from "./cohereFamily";
import { commandFamily } from "./commandFamily";
import { deepseekFamily } from "./deepseekFamily";
import { gemmaFamily } from "./gemmaFamily";
import { graniteFamily } from "./graniteFamily";
import { jambaFamily } from "./jamba";
import { llamaFamily } from "./llamaFamily";
import { mistralFamily } from "./mistralFamily";
import { otherFamilies } from "./otherFamilies";
import { phiFamily } from "./phiFamily";
import { visionFamilies } from "./visionFamilies";

/**
 * Every name Axolotl's `chat_template:` accepts (its utils/chat_templates/templates/NAME.jinja),
 * as of the Axolotl the references in test/fixtures/axolotl-template-references.json come from.
 */
export const axolotlTemplateNames = [
  "alpaca", "aya", "chatml", "cohere", "command_a", "command_a_rag", "command_a_tool_use", "deepseek_v2", "deepseek_v3",
  "exaone", "exaone4", "falcon_h1", "gemma", "gemma3", "gemma3n", "gemma4", "gemma4_unified", "granite", "granitemoe",
  "jamba", "llama3", "llama3_2_vision", "llama4", "llava", "metharme", "mistral_v1", "mistral_v2v3", "mistral_v3_tekken",
  "mistral_v7_tekken", "nemotron", "nemotron_h", "phi_3", "phi_35", "phi_4", "pixtral", "qwen2_vl", "qwen3", "qwen3_5", "qwen_25",
] as const;

const builtins = new Map<string, AxolotlBuiltin>([...chatmlFamily, ...llamaFamily, ...mistralFamily, ...phiFamily, ...gemmaFamily, ...deepseekFamily, ...cohereFamily, ...commandFamily, ...graniteFamily, ...jambaFamily, ...visionFamilies, ...otherFamilies].map((b) => [b.name, b]));

/** The built-in rendering of Axolotl's NAME, when one is written here. */
export function axolotlBuiltin(name: string): AxolotlBuiltin | undefined {
  return builtins.get(name);
}

export const allAxolotlBuiltins: readonly AxolotlBuiltin[] = [...builtins.values()];

export const isAxolotlTemplateName = (name: string) => (axolotlTemplateNames as readonly string[]).includes(name);
