// An esbuild plugin that bundles @huggingface/jinja with each runtime value's and AST node's
// `type` on its class's prototype instead of in a class field.
//
// Why: the library declares `type = "RuntimeValue"` on the base class and `type = "StringValue"`
// (and 44 more) on subclasses, plus a bare `value;` field that its constructor then assigns. With
// class-field semantics every object is created by defining `type` twice and `value` twice, which
// sends V8 down its slow property-definition path on each of the millions of values a template
// evaluation allocates: that cost was over half of all the time spent rendering long
// conversations. A getter on the prototype gives every read the same string, and nothing in the
// library copies or enumerates these objects' own keys. The rendering tests (byte-for-byte against
// Python Jinja2) run on this bundled copy, and a unit test checks that the change is in it.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

export function transformJinja(source) {
  let types = 0;
  let values = 0;
  const out = source
    .replace(/^  type = ("[A-Za-z]+");$/gm, (_, name) => {
      types++;
      return `  get type() { return ${name}; }`;
    })
    // RuntimeValue's constructor assigns `this.value`; the bare declaration only defines it first.
    .replace(/^(var RuntimeValue = class \{\n  get type\(\) \{ return "RuntimeValue"; \}\n)  value;\n/m, (_, head) => {
      values++;
      return head;
    });
  if (types < 40 || values !== 1) {
    throw new Error(
      `@huggingface/jinja's dist no longer looks as scripts/jinja-value-types.mjs expects (${types} type fields, ${values} value field): update or remove the plugin`,
    );
  }
  return out;
}

export const jinjaValueTypes = {
  name: "jinja-value-types",
  setup(build) {
    // Builds run from the repository root (esbuild.mjs).
    const require = createRequire(join(process.cwd(), "package.json"));
    // Resolved here even where packages stay external (tests, bench), so they run the shipped code.
    build.onResolve({ filter: /^@huggingface\/jinja$/ }, () => ({ path: require.resolve("@huggingface/jinja").replace(/index\.cjs$/, "index.js") }));
    build.onLoad({ filter: /[\\/]@huggingface[\\/]jinja[\\/]dist[\\/]index\.js$/ }, (args) => ({
      contents: transformJinja(readFileSync(args.path, "utf8")),
      loader: "js",
    }));
  },
};
