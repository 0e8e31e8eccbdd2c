// Prints the built-in renderings of Axolotl's templates as JSON, for
// scripts/axolotl-template-references.py: `node out/test/launch/dump-axolotl-templates.js`.
import { allAxolotlBuiltins } from "../../src/core/templates/axolotl/registry";

process.stdout.write(JSON.stringify(allAxolotlBuiltins.map(({ name, template, specialTokens }) => ({ name, template, specialTokens }))));
