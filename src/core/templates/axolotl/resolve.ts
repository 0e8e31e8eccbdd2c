import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import type { ChatTemplateSource } from "../chatTemplate";
import { axolotlBuiltin, axolotlTemplateNames } from "./registry";

/** The user's own Axolotl: the folder of its NAME.jinja files, and its version when known. */
export interface AxolotlInstall {
  templatesDir: string;
  version?: string;
}

export class AxolotlTemplateError extends Error {}

export interface ResolvedTemplate {
  template: ChatTemplateSource;
  label: string;
  notes: string[];
}

/** What a training config says about its chat template, as Axolotl reads it. */
export interface TemplateChoice {
  /** `chat_template` (absent: tokenizer_default). */
  name?: string;
  /** `chat_template_jinja`: the template itself, or the path of a .jinja file. */
  jinja?: string;
  /** The config's folder, against which a relative `chat_template_jinja` path is read. */
  configDir?: string;
}

const fallbackPrefix = "tokenizer_default_fallback_";

/** Whether a config's chat_template names a template (so the user's own Axolotl is worth looking for). */
export const namesTemplate = (chatTemplate: string | undefined) => !!chatTemplate && chatTemplate !== "tokenizer_default" && chatTemplate !== "jinja";

/**
 * Axolotl's template NAME: the user's Axolotl's own NAME.jinja when it has one (exact, and of
 * the user's version), else the rendering written here. `specials` are the tokenizer's special
 * tokens: with a tokenizer they are all there is, as in Axolotl (a token it lacks is undefined to
 * the template); without one, the family's defaults fill in.
 */
export function axolotlNamedTemplate(name: string, specials: Record<string, string>, install?: AxolotlInstall, hasTokenizer = false): ResolvedTemplate {
  const builtin = axolotlBuiltin(name);
  const tokens = hasTokenizer ? specials : { ...builtin?.specialTokens, ...specials };
  const file = install && /^[A-Za-z0-9_.-]+$/.test(name) ? join(install.templatesDir, `${name}.jinja`) : undefined;
  if (file && existsSync(file)) {
    const version = install?.version ? `Axolotl ${install.version}` : "Axolotl";
    return { template: { template: readFileSync(file, "utf8"), specialTokens: tokens }, label: `${version} template from ${file}`, notes: [] };
  }
  if (builtin) {
    return { template: { template: builtin.template, specialTokens: tokens }, label: `built-in rendering of Axolotl's ${name} (${builtin.label})`, notes: [] };
  }
  const where = install
    ? `the Axolotl in ${install.templatesDir} has no ${name}.jinja either`
    : `if your Axolotl is newer and has it, point instructStudio.axolotl.path (render --axolotl) at it`;
  throw new AxolotlTemplateError(
    `Axolotl has no chat_template named "${name}"; it knows ${axolotlTemplateNames.join(", ")}, plus tokenizer_default, tokenizer_default_fallback_<name> and jinja (${where})`,
  );
}

function jinjaTemplate(choice: TemplateChoice, specials: Record<string, string>): ResolvedTemplate {
  const jinja = choice.jinja;
  if (!jinja)
    throw new AxolotlTemplateError("`chat_template: jinja` needs `chat_template_jinja` (the template, or the path of a .jinja file), as Axolotl requires");
  // Axolotl reads chat_template_jinja as a file when such a file exists, else as the template itself.
  const path = !jinja.includes("\n") && jinja.length < 4096 ? (isAbsolute(jinja) ? jinja : join(choice.configDir ?? "", jinja)) : undefined;
  if (path && existsSync(path))
    return { template: { template: readFileSync(path, "utf8"), specialTokens: specials }, label: `chat_template_jinja file ${path}`, notes: [] };
  return { template: { template: jinja, specialTokens: specials }, label: "chat_template_jinja of the training config", notes: [] };
}

/**
 * The template Axolotl trains with for a config's choice (get_chat_template): `jinja`,
 * `tokenizer_default`, `tokenizer_default_fallback_NAME` or a NAME. "tokenizer" where the
 * tokenizer's own template applies, whether or not one is configured: the caller shows it, or
 * what it shows without one.
 */
export function axolotlConfigTemplate(
  choice: TemplateChoice,
  tokenizerHasTemplate: boolean,
  hasTokenizer: boolean,
  specials: Record<string, string>,
  install?: AxolotlInstall,
): ResolvedTemplate | "tokenizer" {
  const name = choice.name ?? (choice.jinja ? "jinja" : "tokenizer_default");
  if (name === "jinja") return jinjaTemplate(choice, specials);
  if (name === "tokenizer_default") {
    if (hasTokenizer && !tokenizerHasTemplate)
      throw new AxolotlTemplateError(
        "chat_template is tokenizer_default but the tokenizer has no chat template: Axolotl stops here (add one to its tokenizer_config.json, or name a template)",
      );
    return "tokenizer";
  }
  if (name.startsWith(fallbackPrefix)) {
    if (tokenizerHasTemplate) return "tokenizer";
    const fallback = name.slice(fallbackPrefix.length);
    const resolved = axolotlNamedTemplate(fallback, specials, install, hasTokenizer);
    const why = hasTokenizer ? "the tokenizer has no chat template" : "no tokenizer is configured to say whether it has a chat template";
    return { ...resolved, notes: [`${why}, so Axolotl falls back to ${fallback} (and recommends train_on_inputs for it)`] };
  }
  return axolotlNamedTemplate(name, specials, install, hasTokenizer);
}
