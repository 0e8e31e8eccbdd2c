// Messages between the extension host and the preview worker (out/preview-worker.js), which
// renders chat templates and tokenizes: neither a hostile template nor a tokenizer load runs
// in the extension host.
import type { RowPreview } from "../core/training/rowPreview";
import type { TrainingSettings } from "../core/training/trainingSettings";

export interface PreviewRequest {
  id: number;
  type: "preview";
  rowText: string;
  /** A tokenizer folder or GGUF file; none gives estimated counts. */
  tokenizerPath?: string;
  /** A built-in template name or a template file. */
  template?: string;
  /** An Axolotl YAML config. */
  configPath?: string;
  settings: Partial<TrainingSettings>;
}

export type PreviewResponse =
  | { id: number; type: "preview"; preview: RowPreview; tokenizerLoadMs?: number }
  | { id: number; type: "error"; message: string };
