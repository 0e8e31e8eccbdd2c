import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { Environment } from "@huggingface/jinja";
// @ts-expect-error: a build script in plain JavaScript, without types.
import { transformJinja } from "../../scripts/jinja-value-types.mjs";

describe("@huggingface/jinja as bundled (scripts/jinja-value-types.mjs)", () => {
  it("keeps each value's type on its class, not on every object, with the same name", () => {
    // The library exports no value classes; its Environment makes them from plain values.
    for (const [plain, type] of [
      ["x", "StringValue"],
      [1, "IntegerValue"],
      [[], "ArrayValue"],
    ] as const) {
      const env = new Environment();
      env.set("v", plain);
      const value = env.lookupVariable("v");
      assert.equal(value.type, type);
      assert.equal(Object.hasOwn(value, "type"), false, `${type} objects carry no own type field`);
      assert.deepEqual(
        Object.keys(value).filter((k) => k !== "_builtins"),
        ["value"],
      );
    }
  });

  it("refuses a library whose code no longer has the fields it rewrites, instead of building it unchanged", () => {
    const source = readFileSync(
      createRequire(__filename)
        .resolve("@huggingface/jinja")
        .replace(/index\.cjs$/, "index.js"),
      "utf8",
    );
    assert.doesNotThrow(() => transformJinja(source));
    assert.throws(
      () => transformJinja(source.replaceAll('  type = "', '  kind = "')),
      /no longer looks as scripts\/jinja-value-types.mjs expects \(0 type fields/,
    );
  });
});
