import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { ruleCatalog, ruleIds } from "../../src/core/rules/catalog";
import { repoRoot } from "../launch/paths";

const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

describe("package.json", () => {
  it("its instructStudio.rules setting offers exactly the rules the validator has", () => {
    const offered = Object.keys(manifest.contributes.configuration.properties["instructStudio.rules"].properties).sort();
    assert.deepEqual(offered, [...ruleIds].sort());
  });

  it("every rule has a description and a default severity", () => {
    for (const id of ruleIds) {
      assert.match(ruleCatalog[id].description, /\S/);
      assert.ok(["error", "warning", "info", "hint"].includes(ruleCatalog[id].severity), id);
    }
  });

  it("every contributed command has a title", () => {
    for (const command of manifest.contributes.commands) assert.match(command.title, /\S/, command.command);
  });
});
