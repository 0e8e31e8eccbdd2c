import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const dir = scratchDir("instruct-studio-rules-");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });
const alpaca = (i: number) => JSON.stringify({ instruction: `Name colour ${i}.`, input: "", output: `Colour ${i}.`, extra: i });
// Three rows with an unused key (a hint) and two broken rows (5 syntax errors).
const file = join(dir, "rows.jsonl");
writeFileSync(file, `${[alpaca(1), alpaca(2), alpaca(3), "{broken", "{broken too"].join("\n")}\n`);

describe("lint --rule, --rules, --max-findings", () => {
  it("--rule sets a severity: off drops a rule, error makes a hint fail the run", () => {
    const off = run("lint", file, "--rule", "syntax=off", "--json");
    assert.equal(off.status, 0, off.stderr);
    assert.deepEqual([...new Set(JSON.parse(off.stdout).map((d: { rule: string }) => d.rule))], ["unused-key"]);
    const strict = run("lint", file, "--rule", "syntax=off", "--rule", "unused-key=Error", "--json");
    assert.equal(strict.status, 1);
    assert.ok(JSON.parse(strict.stdout).every((d: { severity: string }) => d.severity === "error"));
  });

  it("--rules reads the setting's shape from a file; --rule wins over it", () => {
    const rules = join(dir, "rules.json");
    writeFileSync(rules, JSON.stringify({ syntax: "off", "unused-key": "off" }));
    assert.equal(run("lint", file, "--rules", rules, "--json").stdout.trim(), "[]");
    const both = run("lint", file, "--rules", rules, "--rule", "unused-key=warning", "--json");
    assert.equal(JSON.parse(both.stdout).length, 3);
  });

  it("a bad rule, severity or file is a usage error naming it (exit 2), never a silent default", () => {
    for (const [args, pattern] of [
      [["--rule", "no-such-rule=warning"], /"no-such-rule" is no rule/],
      [["--rule", "syntax=loud"], /"loud" for "syntax"/],
      [["--rule", "syntax"], /--rule wants id=severity/],
      [["--rules", join(dir, "missing.json")], /--rules .*missing\.json/],
      [["--max-findings", "-1"], /--max-findings wants a whole number/],
    ] as const) {
      const result = run("lint", file, ...args);
      assert.equal(result.status, 2, `${args.join(" ")}: ${result.stderr}`);
      assert.match(result.stderr, pattern);
    }
  });

  it("--max-findings prints at most N per rule and a per-rule summary; the exit status counts every finding", () => {
    const text = run("lint", file, "--max-findings", "1");
    assert.equal(text.status, 1);
    const findings = text.stdout.split("\n").filter((l) => l.startsWith(file));
    assert.deepEqual(
      findings.map((l) => l.split(" ")[2]),
      ["unused-key", "syntax"],
    );
    assert.match(text.stdout, /findings by rule \(at most 1 shown per rule\):\n\s+syntax\s+5 \(1 shown\)\n\s+unused-key\s+3 \(1 shown\)/);
    // Only errors past the limit: still a failing run.
    assert.equal(run("lint", file, "--max-findings", "0", "--rule", "unused-key=off").status, 1);
    const json = run("lint", file, "--json", "--max-findings", "2");
    assert.equal(JSON.parse(json.stdout).length, 4, "the array keeps its shape, 2 per rule");
    assert.deepEqual(JSON.parse(json.stderr), {
      findingsByRule: { "unused-key": { findings: 3, shown: 2 }, syntax: { findings: 5, shown: 2 } },
      maxFindings: 2,
    });
  });
});
