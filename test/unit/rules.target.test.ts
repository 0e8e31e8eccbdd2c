import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { repoRoot } from "../launch/paths";
import { applyFix, diagnose, only, rulesOf } from "./ruleHelpers";
import { scratchDir } from "./scratchDir";

const chat = (extra: Record<string, unknown> = {}, assistant: Record<string, unknown> = {}) => ({
  messages: [
    { role: "system", content: "You are terse." },
    { role: "user", content: "2+2?", ...extra },
    { role: "assistant", content: "4", ...assistant },
  ],
});

describe("instructStudio.target: where trainers disagree", () => {
  it("OpenAI rejects a message key others ignore; Axolotl and the default only hint at it", () => {
    const row = chat({ lang: "en" });
    const openai = only(diagnose(row, { target: "openai" }), "target-rejects");
    assert.equal(openai.length, 1);
    assert.equal(openai[0].severity, "error");
    assert.match(openai[0].message, /OpenAI fine-tuning rejects the file for a message key `lang`/);
    assert.ok(!rulesOf(diagnose(row, { target: "openai" })).includes("unused-key"), "one finding per key, not two");
    const fixed = JSON.parse(applyFix(JSON.stringify(row), openai[0])) as unknown;
    assert.deepEqual(fixed, chat());
    for (const target of [undefined, "axolotl", "trl", "llama-factory"] as const) {
      assert.deepEqual(rulesOf(diagnose(row, { target })), ["unused-key"], String(target));
    }
  });

  it("OpenAI rejects Axolotl's per-turn training keys and a weight outside 0/1 or off an assistant message", () => {
    const keys = only(diagnose(chat({}, { loss_weight: 0.5, reasoning_content: "add" }), { target: "openai" }), "target-rejects");
    assert.deepEqual(
      keys.map((d) => d.message.match(/`(\w+)`/)?.[1]),
      ["loss_weight", "reasoning_content"],
    );
    assert.deepEqual(diagnose(chat({}, { loss_weight: 0.5 }), { target: "axolotl" }), []);
    assert.equal(only(diagnose(chat({}, { weight: 0.5 }), { target: "openai" }), "target-rejects").length, 1);
    assert.equal(only(diagnose(chat({ weight: 1 }), { target: "openai" }), "target-rejects").length, 1);
    assert.deepEqual(diagnose(chat({}, { weight: 0 }), { target: "openai" }), []);
  });

  it("a message with no content is an error for every target", () => {
    const row = { messages: [{ role: "user", content: "hi" }, { role: "assistant" }] };
    for (const target of [undefined, "axolotl", "openai"] as const) assert.deepEqual(rulesOf(diagnose(row, { target })), ["empty-content"], String(target));
  });

  it("says once, at the first row, that the target does not read the file's format", () => {
    const alpaca = Array.from({ length: 3 }, (_, i) => JSON.stringify({ instruction: `Task ${i}`, input: "", output: `Answer ${i}` })).join("\n");
    const findings = (target?: "openai" | "trl" | "axolotl") => {
      const validator = new DocumentValidator({ target });
      validator.setText(alpaca);
      return validator.diagnostics();
    };
    const openai = only(findings("openai"), "target-format");
    assert.equal(openai.length, 1);
    assert.equal(openai[0].line, 0);
    assert.match(openai[0].message, /OpenAI fine-tuning cannot read Alpaca rows .*chat rows with `messages` only/);
    assert.match(only(findings("trl"), "target-format")[0].message, /TRL cannot read Alpaca rows/);
    assert.deepEqual(findings("axolotl"), []);
    assert.deepEqual(findings(), []);
    const sharegpt = new DocumentValidator({ target: "trl" });
    sharegpt.setText(
      JSON.stringify({
        conversations: [
          { from: "human", value: "hi" },
          { from: "gpt", value: "hello" },
        ],
      }),
    );
    assert.deepEqual(sharegpt.diagnostics(), [], "TRL converts ShareGPT conversations itself");
  });

  it("lint --target gives the CLI the same verdicts, and refuses an unknown trainer with exit 2", () => {
    const dir = scratchDir("instruct-studio-target-");
    const file = join(dir, "chat.jsonl");
    writeFileSync(file, `${JSON.stringify(chat({ lang: "en" }))}\n`);
    const run = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, "out", "cli.js"), ...args], { encoding: "utf8" });
    const openai = run("lint", "--target", "openai", file);
    assert.equal(openai.status, 1);
    assert.match(openai.stdout, /:1:\d+ error target-rejects OpenAI fine-tuning rejects the file for a message key `lang`/);
    const axolotl = run("lint", "--target", "axolotl", file);
    assert.equal(axolotl.status, 0, axolotl.stdout);
    const wrong = run("lint", "--target", "openia", file);
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--target wants one of axolotl, trl, llama-factory, openai, not "openia"/);
  });
});
