/** One piece of a LLaMA-Factory slot list: text with `{{content}}`, a special token by role, or a token by name. */
export type Slot = string | { special: string } | { token: string };

/** A template as LLaMA-Factory's `register_template` records it (the generated registry's entries). */
export interface LlamaFactoryTemplateSpec {
  kind: "Template" | "ReasoningTemplate" | "Llama2Template" | "Glm47ReasoningTemplate" | "MossVLTemplate";
  user: Slot[];
  assistant: Slot[];
  system: Slot[];
  function: Slot[];
  observation: Slot[];
  prefix: Slot[];
  toolFormat: string | null;
  functionFormat: string | null;
  defaultSystem?: string;
  stopWords?: string[];
  thoughtWords?: [string, string] | string[];
  toolCallWords?: [string, string] | string[];
  efficientEos?: boolean;
  replaceEos?: boolean;
  preserveThinking?: boolean;
  enableThinking?: boolean | null;
  /** The multimodal plugin; text rows pass through every plugin unchanged. */
  plugin?: string;
  /** The plugin has an image token: LLaMA-Factory refuses every row, text ones too, when the model has no processor. */
  needsProcessor?: boolean;
}
