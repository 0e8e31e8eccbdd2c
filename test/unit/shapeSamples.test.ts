import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, it } from "node:test";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

interface Finding {
  line: number;
  rule: string;
  severity: string;
}

const lint = (file: string): Finding[] => {
  const result = spawnSync(process.execPath, [join(repoRoot, "out", "cli.js"), "lint", "--json", file], { encoding: "utf8", timeout: 60_000 });
  assert.notEqual(result.status, 2, result.stderr);
  return JSON.parse(result.stdout) as Finding[];
};

describe("datasets in the shapes public ones ship in (scripts/shape-samples.mjs)", async () => {
  const { shapes, writeShapeSamples } = (await import(pathToFileURL(join(repoRoot, "scripts", "shape-samples.mjs")).href)) as {
    shapes: Record<string, string>;
    writeShapeSamples: (dir: string) => void;
  };
  const dir = scratchDir("instruct-studio-shapes-");
  writeShapeSamples(dir);
  const datasets = Object.keys(shapes).filter((name) => !name.endsWith("dataset_info.json"));

  for (const name of datasets) {
    it(`${name}: no finding on clean rows`, () => {
      assert.deepEqual(
        lint(join(dir, name)).map((d) => `${d.line} ${d.rule}`),
        [],
      );
    });
  }

  it("finds what curators look for once problems are put into them", () => {
    const alpaca = JSON.parse(readFileSync(join(dir, "stanford_alpaca.json"), "utf8")) as Array<Record<string, string>>;
    alpaca.push(
      { ...alpaca[3] },
      { instruction: "Name a colour.", input: "", output: "<nooutput>" },
      { instruction: "Summarize the article.", input: "https://example.com/article.html", output: "It is about cats." },
    );
    alpaca[5] = { instruction: alpaca[5].instruction, input: "", outptu: alpaca[5].output };
    const file = join(dir, "alpaca_with_problems.json");
    writeFileSync(file, JSON.stringify(alpaca, null, 4));
    const rules = lint(file)
      .map((d) => d.rule)
      .sort();
    for (const rule of ["duplicate-row", "empty-output", "unknown-key", "missing-field", "unseen-reference"])
      assert.ok(rules.includes(rule), `${rule} in ${rules.join(", ")}`);
  });
});
