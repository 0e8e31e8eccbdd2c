import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { detectMojibake } from "../../src/core/validate/mojibake";
import { repoRoot } from "../launch/paths";

describe("detectMojibake", () => {
  it("recognises the seed model card's Korean read as Greek, though bytes were lost", () => {
    // 200 characters of the seed model card (shared/seeds/000_...txt), kept as a fixture.
    const excerpt = readFileSync(join(repoRoot, "test", "fixtures", "seed-mojibake-excerpt.txt"), "utf8");
    const found = detectMojibake(excerpt);
    assert.ok(found);
    assert.equal(found.repaired, undefined);
    assert.match(found.sample, /[\uac00-\ud7a3]/);
  });

  it("repairs UTF-8 read as Windows-1252 and Cyrillic read as Windows-1252", () => {
    assert.equal(detectMojibake("naÃ¯ve cafÃ©")?.repaired, "naïve café");
    assert.equal(detectMojibake("ÐŸÑ€Ð¸Ð²ÐµÑ‚")?.repaired, "Привет");
  });

  for (const text of [
    "Καλημέρα κόσμε, τι κάνεις σήμερα;",
    "Привет, как дела? Всё хорошо.",
    "naïve café résumé",
    "오늘은 날씨가 좋습니다",
    "© 2024 — “quoted” text…",
    "μ = 3 and λ = 2",
    "plain",
  ]) {
    it(`leaves real text alone: ${text}`, () => assert.equal(detectMojibake(text), undefined));
  }
});
