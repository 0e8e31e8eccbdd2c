import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { TrainingConfig } from "../config/trainingConfig";
import { AxolotlInstall, axolotlConfigTemplate, AxolotlTemplateError } from "../templates/axolotl/resolve";
import { defaultChatTemplate, builtinTemplate, builtinTemplateNames, templateSpecialTokens } from "../templates/builtinTemplates";
import { ChatTemplateSource, specialTokensOf, templateSourceFromConfig } from "../templates/chatTemplate";
import { approximateTokenizer } from "../tokenizers/approximateTokenizer";
import type { ViewTrainer } from "../trainers/trainerChoice";
import { unknownEosToken } from "./trainingView";
import type { LoadedTokenizer } from "../tokenizers/loadTokenizer";
import type { ModelTokenizer } from "../tokenizers/modelTokenizer";
import type { TrlInstall } from "../trainers/trl/trlTemplates";
import type { DatasetInfoEntry } from "../config/datasetInfo";
import { llamaFactoryTemplates } from "../trainers/llamaFactory/templateRegistry";

export class PreviewSetupError extends Error {}

/** Where the preview's template and tokenizer come from, as the user configured them. */
export interface PreviewSources {
  /** A loaded tokenizer folder or GGUF, when configured. */
  tokenizer?: LoadedTokenizer;
  /** A built-in template name, or the path of a .jinja file or a tokenizer_config.json. */
  template?: string;
  config?: TrainingConfig;
  /** The training config's folder: a relative chat_template_jinja path is read from there. */
  configDir?: string;
  /** The user's own Axolotl, whose NAME.jinja files render `chat_template: NAME` exactly. */
  axolotl?: AxolotlInstall;
  /** The user's own TRL, whose training templates replace stock ones for assistant_only_loss. */
  trl?: TrlInstall;
  /** The trainer whose view is shown: TRL reads `chat_template_path`, not Axolotl's `chat_template`. */
  trainer?: ViewTrainer;
  /** The LLaMA-Factory dataset_info.json entry that names the dataset file. */
  datasetInfo?: DatasetInfoEntry;
}

export interface PreviewSetup {
  template: ChatTemplateSource;
  /** Where the template came from, for the panel's header. */
  templateLabel: string;
  tokenizer: ModelTokenizer;
  /** About the chat template chosen: shown with conversations only. */
  notes: string[];
  trl?: TrlInstall;
  /** The template is the tokenizer's own (LLaMA-Factory parses its slots from it when no name is set). */
  ownTemplate?: boolean;
  datasetInfo?: DatasetInfoEntry;
  /** A template name the user set (preview.template, --template): LLaMA-Factory's name when it is one. */
  explicitTemplate?: string;
}

function templateFromFile(path: string, specialTokens: Record<string, string>): ChatTemplateSource {
  if (!existsSync(path)) throw new PreviewSetupError(`"${path}" is neither a built-in template (${builtinTemplateNames.join(", ")}) nor a file`);
  const text = readFileSync(path, "utf8");
  if (path.endsWith(".json")) {
    const source = templateSourceFromConfig(JSON.parse(text) as Record<string, unknown>);
    return { template: source.template, specialTokens: { ...specialTokens, ...source.specialTokens } };
  }
  return { template: text, specialTokens };
}

/** The special tokens a real tokenizer defines, which its template reads as variables. */
function tokenizerSpecials(tokenizer: LoadedTokenizer | undefined): Record<string, string> {
  if (!tokenizer) return {};
  if (tokenizer.config) return specialTokensOf(tokenizer.config);
  const tokens: Record<string, string> = {};
  if (tokenizer.bosToken) tokens.bos_token = tokenizer.bosToken;
  if (tokenizer.eosToken) tokens.eos_token = tokenizer.eosToken;
  return tokens;
}

function tokenizerTemplate(tokenizer: LoadedTokenizer, specials: Record<string, string>): ChatTemplateSource | undefined {
  if (tokenizer.chatTemplateFile) return { template: readFileSync(tokenizer.chatTemplateFile, "utf8"), specialTokens: specials };
  if (tokenizer.chatTemplate) return { template: tokenizer.chatTemplate, specialTokens: specials };
  const fromConfig = tokenizer.config?.chat_template;
  if (fromConfig) return templateSourceFromConfig(tokenizer.config as Record<string, unknown>);
  return undefined;
}

/**
 * Picks the template as a trainer would: an explicit choice, then the training config's
 * `chat_template_jinja` or named `chat_template`, then the tokenizer's own, else ChatML.
 * Without a real tokenizer, counts come from an estimate and say so.
 */
export function previewSetup(sources: PreviewSources): PreviewSetup {
  const notes: string[] = [];
  const specials = tokenizerSpecials(sources.tokenizer);
  const named = (name: string, origin: string): { template: ChatTemplateSource; label: string } | undefined => {
    const builtin = builtinTemplate(name);
    if (!builtin) return undefined;
    // A real tokenizer's special tokens are the ones the template sees (as in Axolotl); the family's fill in for an estimate.
    return {
      template: { template: builtin.template, specialTokens: sources.tokenizer ? specials : { ...builtin.specialTokens, ...specials } },
      label: `${builtin.label} (built-in${origin})`,
    };
  };
  // LLaMA-Factory's own template names are its registry's, not a chat template to render.
  if (sources.trainer === "llama-factory" && sources.template && Object.hasOwn(llamaFactoryTemplates, sources.template))
    return modelTemplateSetup(sources, undefined, specials);
  let chosen: { template: ChatTemplateSource; label: string } | undefined;
  if (sources.template) chosen = named(sources.template, "") ?? { template: templateFromFile(sources.template, specials), label: sources.template };
  const config = sources.config;
  if (sources.trainer === "trl" || sources.trainer === "llama-factory") return modelTemplateSetup(sources, chosen, specials);
  // The tokenizer's own template, read once: the config's choice asks whether there is one, and may fall back to it.
  const own = !chosen && sources.tokenizer ? tokenizerTemplate(sources.tokenizer, specials) : undefined;
  if (!chosen && (config?.chatTemplate || config?.chatTemplateJinja)) {
    try {
      const resolved = axolotlConfigTemplate(
        { name: config.chatTemplate, jinja: config.chatTemplateJinja, configDir: sources.configDir },
        own !== undefined,
        sources.tokenizer !== undefined,
        specials,
        sources.axolotl,
      );
      if (resolved !== "tokenizer") {
        chosen = { template: resolved.template, label: `${resolved.label}, from the training config` };
        notes.push(...resolved.notes);
      }
    } catch (error) {
      if (error instanceof AxolotlTemplateError) throw new PreviewSetupError(`The training config's chat_template: ${error.message}`);
      throw error;
    }
  }
  if (!chosen && own && sources.tokenizer) chosen = { template: own, label: `the model's own template (${sources.tokenizer.source})` };
  if (!chosen) {
    chosen = defaultChoice(specials);
    notes.push(
      "No chat template configured: ChatML is shown, with tool calls as Qwen2.5 and Qwen3 write them. Set a tokenizer folder, a GGUF, a training config or a named template.",
    );
  }
  return finished(sources, chosen, notes);
}

/** ChatML with tool calls, with a real tokenizer's special tokens: what is shown when nothing names a template. */
function defaultChoice(specials: Record<string, string>): { template: ChatTemplateSource; label: string } {
  return {
    template: { template: defaultChatTemplate.template, specialTokens: { ...defaultChatTemplate.specialTokens, ...specials } },
    label: `${defaultChatTemplate.label} (built-in, the default)`,
  };
}

function finished(sources: PreviewSources, chosen: { template: ChatTemplateSource; label: string }, notes: string[], ownTemplate = false): PreviewSetup {
  const { template, label } = chosen;
  const tokenizer = sources.tokenizer ?? approximateTokenizer([...templateSpecialTokens(template.template, template.specialTokens), unknownEosToken]);
  return {
    template,
    templateLabel: label,
    tokenizer,
    notes,
    trl: sources.trl,
    ownTemplate,
    datasetInfo: sources.datasetInfo,
    explicitTemplate: sources.template,
  };
}

/**
 * TRL renders conversations with the tokenizer's own template, or the one `chat_template_path`
 * names (a .jinja file, or a tokenizer folder whose template it clones); it has no named templates.
 * LLaMA-Factory parses its slots from the tokenizer's own template when its config names none.
 */
function modelTemplateSetup(
  sources: PreviewSources,
  explicit: { template: ChatTemplateSource; label: string } | undefined,
  specials: Record<string, string>,
): PreviewSetup {
  const notes: string[] = [];
  let chosen = explicit;
  const path = sources.trainer === "trl" ? sources.config?.trl?.chatTemplatePath : undefined;
  if (!chosen && path) {
    const file = isAbsolute(path) || !sources.configDir ? path : join(sources.configDir, path);
    const fromFolder = existsSync(join(file, "tokenizer_config.json")) ? join(file, "tokenizer_config.json") : undefined;
    if (!fromFolder && !/\.(jinja|j2)$/.test(file))
      throw new PreviewSetupError(
        `The training config's chat_template_path: "${path}" is neither a .jinja file nor a tokenizer folder here (a hub id is not downloaded)`,
      );
    chosen = { template: templateFromFile(fromFolder ?? file, specials), label: `${path}, from the training config's chat_template_path` };
  }
  const own = !chosen && sources.tokenizer ? tokenizerTemplate(sources.tokenizer, specials) : undefined;
  if (!chosen && own && sources.tokenizer)
    return finished(sources, { template: own, label: `the model's own template (${sources.tokenizer.source})` }, notes, true);
  if (!chosen) {
    chosen = defaultChoice(specials);
    if (sources.trainer === "trl")
      notes.push(
        sources.tokenizer
          ? 'This tokenizer has no chat template: TRL fails on conversational rows ("tokenizer.chat_template is not set"); ChatML is shown. Set chat_template_path.'
          : "No tokenizer configured: TRL uses the tokenizer's own chat template; ChatML is shown until you set one.",
      );
    return finished(sources, chosen, notes);
  }
  return finished(sources, chosen, notes, sources.trainer === "llama-factory");
}
