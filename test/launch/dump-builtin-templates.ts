// Prints the built-in chat templates as JSON, for scripts/template-references.py to render them
// with Python's Jinja2: `node out/test/launch/dump-builtin-templates.js`.
import { allBuiltinTemplates } from "../../src/core/templates/builtinTemplates";

process.stdout.write(JSON.stringify(allBuiltinTemplates.map(({ name, template, specialTokens }) => ({ name, template, specialTokens }))));
