import { existsSync } from "node:fs";
import { join } from "node:path";
import { detectRowFormat, formatLabels } from "../../formats/detect";
import { isPlainObject } from "../../jsonl/parseRow";
import type { PreviewSetup } from "../../training/previewSetup";
import { RowOptions, RowPreview, RowPreviewError, throughTemplate } from "../../training/previewTypes";
import type { TrainingSettings } from "../../training/trainingSettings";
import { Masked, TrainingCounts, viewOfMasked } from "../../training/trainingView";
import { TrainerRefusedError } from "../trainerRefused";
import { trainerLabel } from "../trainerLabel";
import { convertRow, defaultEntry } from "./lfConverter";
import { parseTemplate } from "./lfParseTemplate";
import { ignoreIndex, lfDefaults, lfIdsAndLabels, LfPiece, LfSettings, supervisedPieces } from "./lfSupervised";
import { LfTemplate } from "./lfTemplate";
import { llamaFactoryTemplates } from "./templateRegistry";

/** The template set up, and (checked once, not per row) whether its plugin lacks the processor LLaMA-Factory would refuse every row without. */
type ChosenTemplate = { template: LfTemplate; label: string; notes: string[]; processorMissing?: boolean };

/** Templates set up per preview setup: a Dataset-view run measures every row with one, and parsing a tokenizer's template renders it four times. */
const chosenTemplates = new WeakMap<PreviewSetup, Map<string, ChosenTemplate>>();

function templateFor(setup: PreviewSetup, settings: LfSettings, explicit: string | undefined, now: Date | undefined): ChosenTemplate {
  const key = JSON.stringify([
    settings.template,
    explicit,
    settings.enableThinking,
    settings.preserveThinking,
    settings.defaultSystem,
    settings.trainOnPrompt,
    now?.getTime(),
  ]);
  let cache = chosenTemplates.get(setup);
  if (!cache) chosenTemplates.set(setup, (cache = new Map()));
  let chosen = cache.get(key);
  if (!chosen) {
    chosen = setUpTemplate(setup, settings, explicit, now);
    chosen.processorMissing = chosen.template.spec.needsProcessor === true && !hasProcessor(setup);
    cache.set(key, chosen);
  }
  return chosen;
}

/** The template LLaMA-Factory uses: the config's `template`, else one parsed from the tokenizer's chat template, else `empty`. */
function setUpTemplate(setup: PreviewSetup, settings: LfSettings, explicit: string | undefined, now: Date | undefined): ChosenTemplate {
  const options = { enableThinking: settings.enableThinking, preserveThinking: settings.preserveThinking, defaultSystem: settings.defaultSystem, now };
  const name = settings.template ?? (explicit && Object.hasOwn(llamaFactoryTemplates, explicit) ? explicit : undefined);
  if (name !== undefined) {
    if (!Object.hasOwn(llamaFactoryTemplates, name)) throw new TrainerRefusedError(`LLaMA-Factory: Template ${name} does not exist.`);
    // get_template_and_fix_tokenizer refuses this before it touches the tokenizer.
    if (settings.trainOnPrompt && llamaFactoryTemplates[name].efficientEos)
      throw new TrainerRefusedError("LLaMA-Factory: Current template does not support `train_on_prompt`.");
    return {
      template: new LfTemplate(name, llamaFactoryTemplates[name], setup.tokenizer, options),
      label: `LLaMA-Factory's ${name} template (template: ${name})`,
      notes: [],
    };
  }
  if (setup.ownTemplate) {
    return {
      template: new LfTemplate("parsed", parseTemplate(setup.template, setup.tokenizer), setup.tokenizer, options),
      label: `parsed from the model's own template, as LLaMA-Factory does with no template: set`,
      notes: [],
    };
  }
  return {
    template: new LfTemplate("empty", llamaFactoryTemplates.empty, setup.tokenizer, options),
    label: "LLaMA-Factory's empty template (no template: set and the tokenizer has no chat template)",
    notes: [
      "No template: in the config and no chat template in the tokenizer: LLaMA-Factory joins the turns with nothing between them (its empty template). Set template: to your model's.",
    ],
  };
}

/** Whether the tokenizer folder holds a processor's config, which LLaMA-Factory's AutoProcessor load needs. */
function hasProcessor(setup: PreviewSetup): boolean {
  const folder = setup.tokenizer.exact ? setup.tokenizer.source : undefined;
  return folder !== undefined && ["preprocessor_config.json", "processor_config.json"].some((file) => existsSync(join(folder, file)));
}

interface LfResult {
  masked: Masked;
  pieces: LfPiece[];
  label: string;
  mapping: string;
  notes: string[];
}

function build(value: unknown, setup: PreviewSetup, settings: TrainingSettings, options: RowOptions & { explicitTemplate?: string }): LfResult {
  if (!isPlainObject(value)) throw new RowPreviewError("This row is not a JSON object: LLaMA-Factory's datasets hold one object per row.", "not-instruction");
  const lf = settings.llamaFactory ?? lfDefaults;
  return throughTemplate(() => {
    // LLaMA-Factory checks its arguments, then sets its template up (and fixes the tokenizer), before it reads any row.
    if (lf.maskHistory && lf.trainOnPrompt) throw new TrainerRefusedError("LLaMA-Factory: `mask_history` is incompatible with `train_on_prompt`.");
    const { template, label, notes, processorMissing } = templateFor(setup, lf, options.explicitTemplate, options.now);
    const entry = setup.datasetInfo ?? defaultEntry(value);
    const converted = convertRow(value, entry);
    if (converted.dropped) throw new TrainerRefusedError(converted.dropped);
    if (converted.prompt.length % 2 !== 1 || converted.response.length !== 1)
      throw new TrainerRefusedError(
        `LLaMA-Factory drops this row ("Dropped invalid example"): it wants an odd number of prompt turns and one response; this row gives ${converted.prompt.length} and ${converted.response.length}.`,
      );
    if (processorMissing) {
      throw new TrainerRefusedError(
        `LLaMA-Factory: Processor was not found, please check and update your model file. (The ${template.name} template's multimodal plugin wants the model's processor, text rows too: point the tokenizer setting at a model folder with its preprocessor_config.json.)`,
      );
    }
    const pieces = supervisedPieces(converted, template, lf);
    const mapping = setup.datasetInfo
      ? `dataset_info.json entry "${entry.name}" (formatting: ${entry.formatting})`
      : `no dataset_info.json entry names this file: read with LLaMA-Factory's ${entry.formatting} defaults`;
    return {
      masked: maskedOf(
        pieces,
        template,
        lf,
        [...converted.prompt, ...converted.response].map((m) => m.role),
      ),
      pieces,
      label,
      mapping,
      notes: [...notes, ...(converted.notes ?? [])],
    };
  });
}

function maskedOf(pieces: LfPiece[], template: LfTemplate, settings: LfSettings, roles: string[]): Masked {
  const ids: number[] = [];
  const trained: boolean[] = [];
  const messageEnds = roles.map(() => 0);
  let text = "";
  let cut = 0;
  let eosLabelled = 0;
  for (const piece of pieces) {
    text += piece.text;
    piece.ids.forEach((id, i) => {
      ids.push(id);
      const label = i < piece.kept ? piece.labels[i] : ignoreIndex;
      trained.push(label !== ignoreIndex);
      if (label !== ignoreIndex && label !== id) eosLabelled++;
    });
    cut += piece.ids.length - piece.kept;
    if (piece.message < messageEnds.length) messageEnds[piece.message] = ids.length;
  }
  for (let i = 1; i < messageEnds.length; i++) messageEnds[i] = Math.max(messageEnds[i], messageEnds[i - 1]);
  messageEnds[messageEnds.length - 1] = ids.length;
  const warnings: string[] = [];
  if (cut > 0)
    warnings.push(
      `${ids.length.toLocaleString("en-US")} tokens is over cutoff_len ${settings.cutoffLen.toLocaleString("en-US")}: LLaMA-Factory cuts each turn's prompt and answer in proportion (infer_seqlen${settings.maskHistory ? ", the last turns first" : ""}), ${cut.toLocaleString("en-US")} tokens in all; they are shown untrained.`,
    );
  if (eosLabelled > 0)
    warnings.push(
      `This template has efficient_eos: LLaMA-Factory labels the first token of each later prompt with the EOS id (${template.eosToken}), so the model learns to end its answer there; ${eosLabelled} token${eosLabelled === 1 ? " is" : "s are"} shown trained with that label, not their own.`,
    );
  if (settings.maskHistory && roles.length > 2)
    warnings.push("mask_history: only the last answer is trained; earlier answers are in the prompt (and lose their reasoning unless preserve_thinking).");
  return { text, ids, trained, messageEnds, roles, warnings };
}

/** The panel's view of a row as LLaMA-Factory's supervised preprocessing builds it. */
export function previewLlamaFactory(
  value: unknown,
  setup: PreviewSetup,
  settings: TrainingSettings,
  options: RowOptions & { explicitTemplate?: string },
): RowPreview {
  const result = build(value, setup, settings, options);
  const view = viewOfMasked(result.masked, setup.tokenizer, result.notes);
  const format = options.format ?? detectRowFormat(value);
  const lf = settings.llamaFactory ?? lfDefaults;
  return {
    ...view,
    trainerLabel: trainerLabel(settings.choice),
    formatLabel: format ? formatLabels[format] : "Unknown",
    mapping: result.mapping,
    templateLabel: result.label,
    tokenizerLabel: setup.tokenizer.exact ? setup.tokenizer.source : "estimate (no tokenizer configured)",
    exact: setup.tokenizer.exact,
    sequenceLen: lf.cutoffLen,
    limitName: "cutoff_len",
  };
}

/** A row's figures for the budget: the tokens LLaMA-Factory keeps and the labelled ones among them. */
export function measureLlamaFactory(
  value: unknown,
  setup: PreviewSetup,
  settings: TrainingSettings,
  options: RowOptions & { explicitTemplate?: string },
): TrainingCounts {
  const { pieces, masked } = build(value, setup, settings, options);
  const tokens = pieces.reduce((n, p) => n + p.kept, 0);
  const trained = masked.trained.filter(Boolean).length;
  return { tokens, trained, trainedWithinLimit: trained, turns: masked.roles.length };
}

/** input_ids and labels exactly as LLaMA-Factory's processor returns them, for checking against its own. */
export function llamaFactoryIdsAndLabels(
  value: unknown,
  setup: PreviewSetup,
  settings: TrainingSettings,
  now?: Date,
): { inputIds: number[]; labels: number[] } {
  return lfIdsAndLabels(build(value, setup, settings, { explicitTemplate: setup.explicitTemplate, now }).pieces);
}
