import { booleanOf, stringOr } from "../../config/yamlValues";
import type { LfSettings } from "./lfSupervised";

/** The data arguments a LLaMA-Factory training YAML sets (numbers already checked by the config reader). */
export function lfSettingsOf(root: Record<string, unknown>, numbers: Record<string, number>): Partial<LfSettings> {
  const settings: Partial<LfSettings> = {};
  const template = stringOr(root.template);
  if (template) settings.template = template;
  if (numbers.cutoff_len !== undefined) settings.cutoffLen = numbers.cutoff_len;
  for (const [key, field] of [
    ["train_on_prompt", "trainOnPrompt"],
    ["mask_history", "maskHistory"],
    ["preserve_thinking", "preserveThinking"],
  ] as const) {
    const value = booleanOf(root[key]);
    if (value !== undefined) settings[field] = value;
  }
  if (root.enable_thinking === null) settings.enableThinking = null;
  else if (booleanOf(root.enable_thinking) !== undefined) settings.enableThinking = root.enable_thinking as boolean;
  const system = stringOr(root.default_system);
  if (system) settings.defaultSystem = system;
  // neat_packing turns packing on; packing takes one token off cutoff_len (DataArguments.__post_init__).
  if (root.packing === true || root.neat_packing === true) settings.packing = true;
  return settings;
}
