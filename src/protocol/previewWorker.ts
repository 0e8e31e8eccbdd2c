// Messages between the extension host and the preview worker (out/preview-worker.js), which
// renders chat templates and tokenizes: neither a hostile template nor a tokenizer load runs
// in the extension host.
import type { TrainingConfig } from "../core/config/trainingConfig";
import type { AxolotlInstall } from "../core/templates/axolotl/resolve";
import type { TrlInstall } from "../core/trainers/trl/trlTemplates";
import type { DatasetInfoEntry } from "../core/config/datasetInfo";
import type { RowPreview } from "../core/training/rowPreview";
import type { TrainingSettings } from "../core/training/trainingSettings";

/** The user's files a worker runs: each is dropped in Restricted Mode when it sits in the workspace. */
export interface WorkerFiles {
  /** A tokenizer folder or GGUF file; none gives estimated counts. */
  tokenizerPath?: string;
  /** A built-in template name or a template file. */
  template?: string;
  /** An Axolotl YAML config (parsed by the extension, sent as `config`). */
  configPath?: string;
}

/** Where a config's template names and files are read from. */
export interface TemplateContext {
  /** The config's folder: a relative chat_template_jinja path is read from there. */
  configDir?: string;
  /** The user's own Axolotl (never in Restricted Mode). */
  axolotl?: AxolotlInstall;
  /** The user's own TRL, for its training templates (never in Restricted Mode). */
  trl?: TrlInstall;
  /** The LLaMA-Factory dataset_info.json entry that names the dataset file (never in Restricted Mode). */
  datasetInfo?: DatasetInfoEntry;
}

export interface PreviewRequest extends Omit<WorkerFiles, "configPath">, TemplateContext {
  id: number;
  type: "preview";
  rowText: string;
  config?: TrainingConfig;
  settings: Partial<TrainingSettings>;
  /** Answer the row's ids and labels only (Check with My Trainer), not the panel's view. */
  idsOnly?: boolean;
}

export type PreviewResponse =
  | { id: number; type: "preview"; preview: RowPreview; tokenizerLoadMs?: number }
  | { id: number; type: "ids"; trainer: string; inputIds: number[]; labels: number[] }
  /** `setup`: the configured template or tokenizer cannot be used at all (no row would render). */
  | { id: number; type: "error"; message: string; setup?: boolean };
