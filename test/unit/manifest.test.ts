import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { formatIds } from "../../src/core/formats/formatLabels";
import { ruleCatalog, ruleIds } from "../../src/core/rules/catalog";
import { repoRoot } from "../launch/paths";

const manifest = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8"));

describe("package.json", () => {
  it("its instructStudio.rules setting offers exactly the rules the validator has", () => {
    const offered = Object.keys(manifest.contributes.configuration.properties["instructStudio.rules"].properties).sort();
    assert.deepEqual(offered, [...ruleIds].sort());
  });

  it("its instructStudio.format setting offers exactly the formats there are modules for", () => {
    assert.deepEqual(manifest.contributes.configuration.properties["instructStudio.format"].enum, ["auto", ...formatIds]);
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

describe("package-lock.json and node-llama-cpp's binaries", () => {
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string; integrity?: string; optionalDependencies?: Record<string, string> }>;
  };
  const library = lock.packages["node_modules/node-llama-cpp"];

  it("pins node-llama-cpp exactly, as the library accepts only binaries of its own version", () => {
    assert.equal(manifest.dependencies["node-llama-cpp"], library.version);
  });

  it("locks every platform's binary package at node-llama-cpp's version, so npm ci works on every OS", () => {
    const binaries = Object.keys(library.optionalDependencies ?? {});
    assert.ok(binaries.length >= 10, binaries.join());
    for (const name of binaries) {
      const entry = lock.packages[`node_modules/${name}`];
      assert.ok(entry, `${name} is missing from package-lock.json`);
      assert.equal(entry.version, library.version, `${name} is ${entry.version}, node-llama-cpp ${library.version}`);
      assert.match(entry.integrity ?? "", /^sha512-/, `${name} has no integrity hash`);
    }
  });
});
