import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { scratchDir } from "./scratchDir";

const cli = join(__dirname, "..", "..", "cli.js");
const dir = scratchDir("instruct-studio-cli-");

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });

describe("instruct-studio CLI", () => {
  it("prints its version and help", () => {
    const version = run("--version");
    assert.equal(version.status, 0);
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const help = run("--help");
    assert.equal(help.status, 0);
    for (const command of ["lint", "stats", "render", "generate", "critique"]) assert.match(help.stdout, new RegExp(`\\b${command}\\b`));
  });

  it("lint exits 0 on a clean file with BOM and CRLF line ends", () => {
    const path = file(
      "clean.jsonl",
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"instruction":"a","input":"","output":"b"}\r\n{"instruction":"c","output":"d"}\r\n')]),
    );
    const result = run("lint", path);
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, "");
    assert.equal(result.status, 0);
  });

  it("lint prints file:line:column severity rule message and exits 1 on errors", () => {
    const path = file("broken.jsonl", '{"instruction":"a","output":"b"}\n{"instruction":"b",}\n\n[1]\n{"instruction":"c"}\n');
    const result = run("lint", path);
    assert.equal(result.status, 1);
    assert.deepEqual(result.stdout.trim().split("\n"), [
      `${path}:2:20 error syntax Property name expected (a trailing comma?).`,
      // The broken row's own problem shows too: jsonc-parser recovers it past the comma.
      `${path}:2:1 error missing-field An Alpaca row has no \`output\`; add it.`,
      `${path}:3:1 warning blank-line Blank line: some loaders fail on it; delete it.`,
      `${path}:4:1 error not-object Each row must be a JSON object, this one is an array.`,
      `${path}:5:1 error missing-field An Alpaca row has no \`output\`; add it.`,
    ]);
  });

  it("lint --json prints one array with 1-based positions", () => {
    const path = file("json.jsonl", '{"a": 1,}\n');
    const result = run("lint", "--json", path);
    assert.equal(result.status, 1);
    assert.deepEqual(JSON.parse(result.stdout), [
      { file: path, line: 1, column: 9, endLine: 1, endColumn: 10, severity: "error", rule: "syntax", message: "Property name expected (a trailing comma?)." },
    ]);
  });

  it("lint exits 0 when only warnings are found", () => {
    const result = run("lint", file("warn.jsonl", '{"instruction":"a","output":"b"}\n\n{"instruction":"c","output":"d"}\n'));
    assert.equal(result.status, 0);
    assert.match(result.stdout, /blank-line/);
  });

  it("lint reports invalid UTF-8 and an unreadable file as errors", () => {
    const bad = file("latin1.jsonl", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d, 0x0a]));
    const missing = join(dir, "missing.jsonl");
    const result = run("lint", "--json", bad, missing);
    assert.equal(result.status, 1);
    const rules = (JSON.parse(result.stdout) as Array<{ rule: string; file: string }>).map((d) => [d.file, d.rule]);
    assert.deepEqual(rules, [
      [bad, "no-instruction-format"],
      [bad, "invalid-utf8"],
      [missing, "unreadable"],
    ]);
  });

  it("stats counts rows by format", () => {
    const path = file("mixed.jsonl", '{"instruction":"a","output":"bb"}\n{"conversations":[{"from":"human","value":"x"}]}\n\n{"oops"\n');
    const result = run("stats", "--json", path);
    assert.equal(result.status, 0);
    const [stats] = JSON.parse(result.stdout).files;
    assert.deepEqual(
      { rows: stats.rows, blank: stats.blankLines, invalid: stats.invalidRows, formats: stats.formats, characters: stats.characters },
      { rows: 3, blank: 1, invalid: 1, formats: { alpaca: 1, sharegpt: 1 }, characters: 4 },
    );
  });

  it("generate and critique without a model are usage errors (exit 2)", () => {
    const result = run("generate", "data.jsonl", "--count", "3");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /--model is required/);
    const critique = run("critique", "data.jsonl", "--line", "1");
    assert.equal(critique.status, 2);
    assert.match(critique.stderr, /--model is required/);
  });

  it("an unknown command exits 2 with help", () => {
    const result = run("bogus");
    assert.equal(result.status, 2);
    assert.match(result.stderr, /unknown command 'bogus'/);
  });
});
