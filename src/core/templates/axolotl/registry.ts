import type { AxolotlBuiltin } from "./builtin";
import { chatmlFamily } from "./chatmlFamily";
import { cohereFamily } from "./cohereFamily";
import { commandFamily } from "./commandFamily";
import { deepseekFamily } from "./deepseekFamily";
import { gemma4Family } from "./gemma4Family";
import { gemmaFamily } from "./gemmaFamily";
import { graniteFamily } from "./graniteFamily";
import { jambaFamily } from "./jamba";
import { llamaFamily } from "./llamaFamily";
import { mistralFamily } from "./mistralFamily";
import { otherFamilies } from "./otherFamilies";
import { phiFamily } from "./phiFamily";
import { visionFamilies } from "./visionFamilies";

const builtins = new Map<string, AxolotlBuiltin>(
  [
    ...chatmlFamily,
    ...llamaFamily,
    ...mistralFamily,
    ...phiFamily,
    ...gemmaFamily,
    ...gemma4Family,
    ...deepseekFamily,
    ...cohereFamily,
    ...commandFamily,
    ...graniteFamily,
    ...jambaFamily,
    ...visionFamilies,
    ...otherFamilies,
  ].map((b) => [b.name, b]),
);

/** The built-in rendering of Axolotl's NAME, when one is written here. */
export function axolotlBuiltin(name: string): AxolotlBuiltin | undefined {
  return builtins.get(name);
}

export const allAxolotlBuiltins: readonly AxolotlBuiltin[] = [...builtins.values()];

/**
 * The names of Axolotl's templates rendered here: every NAME.jinja of the Axolotl that
 * test/fixtures/axolotl-template-references.json was made from.
 */
export const axolotlTemplateNames: readonly string[] = [...builtins.keys()].sort();
