import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { allAxolotlBuiltins, axolotlTemplateNames } from "../../src/core/templates/axolotl/registry";
import { renderChat, TemplateRaisedError } from "../../src/core/templates/chatTemplate";
import { repoRoot } from "../launch/paths";

type Rendering = string | { raised: string } | { failed: string };
const fixtures = join(repoRoot, "test", "fixtures");
const cases: Array<{ name: string; messages: Array<{ role: string }>; tools?: unknown[] }> = JSON.parse(
  readFileSync(join(fixtures, "axolotl-template-cases.json"), "utf8"),
);
const references: { now: string; names: Record<string, { source: string; cases: Record<string, Record<string, Rendering>> }> } = JSON.parse(
  readFileSync(join(fixtures, "axolotl-template-references.json"), "utf8"),
);

/** The renderings Axolotl makes of a conversation: whole, and each turn's find_turn pair. */
function renderings(c: (typeof cases)[number]): Array<{ key: string; messages: unknown[]; realLastIndex?: number }> {
  const last = c.messages.length - 1;
  const extra = last > 0 ? last : undefined;
  return [
    { key: "full", messages: c.messages },
    ...c.messages.flatMap((turn, k) => [
      { key: `turn-${k}`, messages: c.messages.slice(0, k + 1), realLastIndex: extra },
      { key: `dummy-${k}`, messages: [...c.messages.slice(0, k), { role: turn.role, content: "[[dummy_message]]" }], realLastIndex: extra },
    ]),
  ];
}

/**
 * Where a rendering here knowingly differs from Axolotl's file, and why. Each is refused here
 * instead (the test checks that), so the panel never shows a rendering that differs silently.
 */
const refusedHere: Record<string, string> = {
  "exaone4/multimodal": "Axolotl's file writes a content list as Python's repr of it (\"[{'type': 'image'}, ...]\"), which no trainer means to learn",
  "command_a/multimodal": "the same: Python's repr of the content list",
  "command_a_tool_use/multimodal": "the same: Python's repr of the content list",
  "command_a_rag/multimodal": "the same: Python's repr of the content list",
};

describe("built-in renderings of Axolotl's named templates: byte for byte what Axolotl's own file renders", () => {
  for (const builtin of allAxolotlBuiltins) {
    const reference = references.names[builtin.name];
    it(`${builtin.name} has references (python3 scripts/axolotl-template-references.py)`, () => assert.ok(reference));
    if (!reference) continue;
    for (const c of cases) {
      it(`${builtin.name}: ${c.name}, whole and as find_turn renders each turn`, () => {
        const refused = refusedHere[`${builtin.name}/${c.name}`];
        for (const { key, messages, realLastIndex } of renderings(c)) {
          const expected = reference.cases[c.name][key];
          const render = () =>
            renderChat(builtin, messages, {
              tools: c.tools,
              now: new Date(references.now),
              extra: realLastIndex === undefined ? undefined : { real_last_index: realLastIndex },
            });
          if (refused && typeof expected === "string" && messages.some((m) => typeof (m as { content?: unknown }).content !== "string"))
            assert.throws(render, /a list of content parts/, `${key}: ${refused}`);
          else if (typeof expected === "string") assert.equal(render(), expected, key);
          else if ("raised" in expected) assert.throws(render, (e: unknown) => e instanceof TemplateRaisedError && e.message === expected.raised, key);
          // Where Python fails on the conversation itself (adding a list to a string), the rendering here refuses it, saying why.
          else assert.throws(render, /makes Axolotl's own template fail/, `${key}: Axolotl fails with ${expected.failed}`);
        }
      });
    }
  }

  it("every name Axolotl's references cover has a built-in rendering", () => {
    assert.deepEqual(Object.keys(references.names).sort(), [...axolotlTemplateNames]);
    assert.equal(axolotlTemplateNames.length, 39);
  });
});
