import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { hasGenerationMarkers } from "../../templates/generationSpans";
import type { InferredTrainer, ViewTrainer } from "../trainerChoice";
import type { TrlSettings } from "./trlSettings";

/**
 * The stock chat templates TRL 1.13.0 recognises (`get_training_chat_template` compares the
 * tokenizer's template with each of its `chat_templates/NAME.jinja` exactly), by the SHA-256 of
 * the template's text, and the name of the training template it swaps in (`NAME_training.jinja`).
 */
const stockTemplates = new Map<string, string>([
  ["90c33aee14aa2a226127516d48ee9184c9b90745d4a04c484621ec2e82fb712c", "cohere"],
  ["2147c474f41b522b7296f74692b9f31e45f49a31465960576a9d321339c5915a", "cohere2"],
  ["56a1447ad31926fdc21fb07e56e5642bd9c850c4f52d8c8af7bbe5f079a84f5f", "deepseek_r1_distill"],
  ["563b1ce7d61d50a9b4c7439a912a1116f095b712df5b5e4d3e1116049874eb64", "deepseekv3"],
  ["9aeb7eac68ad87bba7567e9d4597ff203e5609f1b427d9e823437d0142cc61bf", "diffusion_gemma"],
  ["ecd6ae513fe103f0eb62e8ab5bfa8d0fe45c1074fa398b089c93a7e70c15cfd6", "gemma"],
  ["7de1c58e208eda46e9c7f86397df37ec49883aeece39fb961e0a6b24088dd3c4", "gemma3"],
  ["44f815868bf02fa458dd2f741a338046f4bf45f398eb6d067766726b9d96cce3", "glm4moe"],
  ["a4c9919cbbd4acdd51ccffe22da049264b1b73e59055fa58811a99efbd7c8146", "gptoss"],
  ["0d7e56ca41705b79932de707b22bc855c3cfcefae62f1ac5e458560654883d2e", "idefics3"],
  ["cef187400d62a59507aab3a642ea9a8d2a2ef263562bc3430560e116945273cf", "lfm2"],
  ["ba03a121d097859c7b5b9cd03af99aafe95275210d2876f642ad9929a150f122", "llama3"],
  ["2c17243a977fd0643fb549a509a8e2684f45517df0f9f608d5893b719f16569f", "llava_next"],
  ["cfc67e5f349f37690dfd31ed1f18bc4442a9dd32fe39a648f993cb4eb3cae678", "muse_glimmer"],
  ["58933db77d3099b4f78c55a38347a72e1ea05b97d6bd8f38775303dc0194e0a9", "nemotron_3_5_lightning"],
  ["ab7813c3abdd9cb655905a410728b26c7884eca45ddfab8d9f931553485a7862", "nemotron_3_nano"],
  ["575fb74f54ed264df9047d0ecce3c98938aae953fb4f50356675706264cbb68a", "nemotron_3_super"],
  ["82753bef5cedc4932c1ed509b5c9a12be680fd86d1adb65bc3f7398d11c8eebc", "nemotron_3_ultra"],
  ["dcaee66df77bfbb789ec541fe713218da30225a526f1db97138fc39ee6dc56aa", "phi3"],
  ["78d976a442bcde2f0be15aafbb8e3050e1104f86732266f68403251b89982a90", "phi3_5"],
  ["cd8e9439f0570856fd70470bf8889ebd8b5d1107207f67a5efb46e342330527f", "qwen2_5"],
  ["a0bc6f6fc7a29a80017a433e8f03a1cc1236e838a944a2d034295a60c4f2fddb", "qwen2_5_vl"],
  ["a55ee1b1660128b7098723e0abcd92caa0788061051c62d51cbe87d9cf1974d8", "qwen3"],
  ["273d8e0e683b885071fb17e08d71e5f2a5ddfb5309756181681de4f5a1822d80", "qwen3_5_nothink"],
  ["a4aee8afcf2e0711942cf848899be66016f8d14a889ff9ede07bca099c28f715", "qwen3_5_think"],
  ["e84f32a23fdda27689f868aa4a1a5621f41133e51a48d7f3efcbea2839574259", "qwen3_6"],
  ["c3cf9e34abf4f9e36c2d72165aa9c132d3e2a725b6c2586aaa3a8af9d7a81041", "qwen3_8"],
  ["64f85b198065d0fba2a81f37e10ed68161ce2c19a754c7100e67e0ca2ee9c326", "qwen3_instruct_2507"],
  ["3636d0f0bd6bef02654cdffdc447b79cb2cef8ab02cc75267345946291a489e4", "qwen3_vl"],
]);

/**
 * Training renderings written here, for stock templates small enough to state: each renders
 * exactly what TRL's NAME_training.jinja renders (checked against TRL's own output in
 * test/fixtures/trainers/trl-references.json), with `{% generation %}` around what the
 * assistant writes. The others come from the user's TRL installation.
 */
const writtenTrainingTemplates: Record<string, string> = {
  // Llama 3: the header stays in the prompt; the answer and its <|eot_id|> are the assistant's.
  llama3: `{%- for message in messages %}
{%- if loop.first %}{{- bos_token }}{%- endif %}
{%- if message['role'] == 'assistant' %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- generation %}{{- message['content'] | trim + '<|eot_id|>' }}{%- endgeneration %}
{%- else %}{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + message['content'] | trim + '<|eot_id|>' }}{%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}`,
};

/** The user's TRL: where its chat_templates folder is, and its version. */
export interface TrlInstall {
  templatesDir: string;
  version?: string;
}

export type TrainingTemplate = { template: string; label: string } | { refused: string };

/** The message TRL 1.13 raises when it has no training template for the tokenizer's. */
export const notTrainingCompatible =
  "The chat template is not training-compatible (missing prefix-preservation or `{% generation %}` markers) and patching is not supported for this template. Please manually modify the chat template for training.";

export function stockTemplateName(template: string): string | undefined {
  return stockTemplates.get(createHash("sha256").update(template, "utf8").digest("hex"));
}

/** A family TRL ships a training template for, guessed from a template's special tokens, to name in the advice. */
function likelyFamily(template: string): string | undefined {
  if (template.includes("<|im_start|>")) return template.includes("<think>") ? "qwen3" : "qwen2_5";
  if (template.includes("<|start_header_id|>")) return "llama3";
  if (template.includes("<start_of_turn>")) return "gemma3";
  if (template.includes("<|end|>")) return "phi3";
  if (template.includes("<｜Assistant｜>")) return "deepseekv3";
  return undefined;
}

/**
 * What SFTTrainer does with `assistant_only_loss` and this template: keep it when it has
 * generation markers, swap in TRL's training template when it is a stock one TRL knows, else
 * refuse as TRL does, saying which training template would work.
 */
export function trlTrainingTemplate(template: string, installed?: TrlInstall): TrainingTemplate | undefined {
  // Asked for every row of a run: the hash and the file read are done once per template (the same string, whose hash V8 keeps).
  let byInstall = decided.get(template);
  if (!byInstall) {
    if (decided.size >= 16) decided.clear();
    decided.set(template, (byInstall = new Map()));
  }
  const dir = installed?.templatesDir ?? "";
  if (!byInstall.has(dir)) byInstall.set(dir, decideTrainingTemplate(template, installed));
  return byInstall.get(dir);
}

const decided = new Map<string, Map<string, TrainingTemplate | undefined>>();

function decideTrainingTemplate(template: string, installed?: TrlInstall): TrainingTemplate | undefined {
  if (hasGenerationMarkers(template)) return undefined;
  const name = stockTemplateName(template);
  if (name && writtenTrainingTemplates[name])
    return { template: writtenTrainingTemplates[name], label: `TRL's ${name} training template (swapped in for assistant_only_loss)` };
  const file = name && installed ? join(installed.templatesDir, `${name}_training.jinja`) : undefined;
  if (file && existsSync(file))
    return {
      template: readFileSync(file, "utf8"),
      label: `TRL's ${name}_training.jinja from ${installed?.version ? `TRL ${installed.version}` : "your TRL"} (swapped in for assistant_only_loss)`,
    };
  if (name)
    return {
      refused: `TRL swaps in its ${name}_training.jinja for this template; no TRL was found to read it from (install TRL for the Python the editor uses, or set chat_template_path to that file).`,
    };
  const family = likelyFamily(template);
  const advice = family
    ? ` This template is not one of the stock templates TRL knows (it differs from them by even a character); a template with {% generation %} around the assistant's text works, e.g. TRL's chat_templates/${family}_training.jinja as chat_template_path, if it matches your model's format.`
    : " Give a template with {% generation %} … {% endgeneration %} around what the assistant writes (chat_template_path).";
  return { refused: `TRL: ${notTrainingCompatible}${advice}` };
}

/** Whether TRL's training templates are needed: TRL's view with assistant_only_loss (the only time TRL swaps one in). */
export function needsTrlTemplates(explicit: ViewTrainer | undefined, config: { trainer?: InferredTrainer; trl?: Partial<TrlSettings> } | undefined): boolean {
  return (explicit ?? config?.trainer?.trainer) === "trl" && config?.trl?.assistantOnlyLoss === true;
}
