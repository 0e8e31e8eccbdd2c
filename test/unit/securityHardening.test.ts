// Issue 18's cases, each as an attacker or an unlucky user meets it, through the CLI where the
// case is about bytes and exit codes. Each test fails on the code before the fix.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { appendFileSync, lstatSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { writeGguf } from "../../src/core/tokenizers/ggufWriter";
import { repoRoot } from "../launch/paths";
import { Hostility, startHostileServer } from "../support/hostileServer";
import { startOpenAiServer, TestServer } from "../support/openaiServer";
import { scratchDir } from "./scratchDir";

const cli = join(repoRoot, "out", "cli.js");
const dir = scratchDir("instruct-studio-security-");

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the CLI without blocking this process (the test servers live here); killed after `limitMs`. */
function run(args: string[], options: { input?: string; env?: NodeJS.ProcessEnv; limitMs?: number } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...options.env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.limitMs ?? 60_000);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(options.input ?? "");
  });
}

const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const alpacaRows = [
  { instruction: "Explain why the sky looks blue during the day.", input: "", output: "Air scatters blue light more than red light." },
  { instruction: "Give three tips for staying healthy this winter.", input: "", output: "Sleep well, eat vegetables and walk daily." },
  { instruction: "Translate the following sentence into French please.", input: "Good morning", output: "Bonjour" },
  { instruction: "Summarize the plot of a famous novel in two lines.", input: "", output: "A whale, a captain, an obsession." },
  { instruction: "List four planets of the solar system in order.", input: "", output: "Mercury, Venus, Earth, Mars." },
  { instruction: "Describe how a river shapes the valley it runs through.", input: "", output: "It erodes its bed and carries sediment downstream." },
  { instruction: "Write a short poem about the ocean at night time.", input: "", output: "Dark waves hum a silver tune." },
  { instruction: "Compare a museum and a library as places to learn.", input: "", output: "One shows objects, the other lends books." },
];
const alpacaJsonl = `${alpacaRows.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("issue 18: a model server cannot hang, flood or drive the CLI", () => {
  it("a server that streams empty deltas forever: --timeout stops the request, exit 2 naming it", async () => {
    const server = await startHostileServer("empty-deltas");
    try {
      const result = await run(["critique", file("deltas.jsonl", alpacaJsonl), "--line", "1", "--model", server.url, "--timeout", "1.5"], { limitMs: 30_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /no complete reply within 2 s, the longest a request may take \(--timeout\)/);
      assert.ok(result.ms < 15_000, `stopped after ${result.ms} ms`);
    } finally {
      await server.close();
    }
  });

  const floods: Array<[string, Hostility, RegExp]> = [
    [
      "text without end is cut at what the requested tokens allow, not at V8's string limit",
      "endless-text",
      /sent more than 48 KB for a reply of at most 768 tokens \(does it ignore max_tokens\?\)/,
    ],
    ["a huge error body is read only as far as its message, and the message says so", "huge-error", /answered 500: Internal Server Error/],
    ["an event line with no newline stops at 1 MB with a clear message", "endless-line", /sent an event line over 1024 KB with no end/],
  ];
  for (const [title, hostility, message] of floods) {
    it(title, async () => {
      const server = await startHostileServer(hostility);
      try {
        const result = await run(["critique", file(`${hostility}.jsonl`, alpacaJsonl), "--line", "1", "--model", server.url], { limitMs: 30_000 });
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.ok(server.sentBytes() < 64 * 1024 * 1024, `the client read on to ${server.sentBytes()} bytes`);
      } finally {
        await server.close();
      }
    });
  }

  it("an event that is not JSON and a connection cut mid-reply are named as such, not as internal errors", async () => {
    for (const [hostility, message] of [
      ["not-json", /sent an event that is not JSON \("\{not json at all"\)/],
      ["cut", /closed the connection in the middle of the reply/],
    ] as const) {
      const server = await startHostileServer(hostility);
      try {
        const result = await run(["critique", file(`${hostility}.jsonl`, alpacaJsonl), "--line", "1", "--model", server.url], { limitMs: 30_000 });
        assert.equal(result.status, 2, result.stderr);
        assert.match(result.stderr, message);
        assert.doesNotMatch(result.stderr, /internal error|terminated/);
      } finally {
        await server.close();
      }
    }
  });

  it("a 20 MB generated entry is refused and nothing is appended", async () => {
    const server = await startHostileServer("giant-entry", {
      instruction: "Describe the water cycle in simple words.",
      input: "",
      output: "rain ".repeat(4 * 1024 * 1024),
    });
    try {
      const dataset = file("giant.jsonl", alpacaJsonl);
      const result = await run(["generate", dataset, "--model", server.url, "--count", "1", "--append"], { limitMs: 60_000 });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /sent more than 64 KB for a reply of at most 1,024 tokens/);
      assert.equal(readFileSync(dataset, "utf8"), alpacaJsonl);
    } finally {
      await server.close();
    }
  });

  it("a critique's control characters reach the terminal escaped", async () => {
    const server = await startHostileServer("terminal-escapes", {
      score: 4,
      rationale: "Fine.\u001b]0;owned title\u0007\u001b[31m red",
      issues: [{ field: "output\u001b[2J", problem: "clears\u009b the screen", suggestion: "" }],
    });
    try {
      const result = await run(["critique", file("escapes.jsonl", alpacaJsonl), "--line", "1", "--model", server.url], { limitMs: 30_000 });
      assert.equal(result.status, 0, result.stderr);
      assert.doesNotMatch(result.stdout, /[\u001b\u0007\u009b]/);
      assert.match(result.stdout, /Fine\.\\u001b\]0;owned title\\u0007\\u001b\[31m red/);
    } finally {
      await server.close();
    }
  });
});

describe("issue 18: generate --append never loses a row", () => {
  let server: TestServer;
  before(async () => {
    server = await startOpenAiServer({ chunkDelayMs: 40 });
  });
  after(() => server.close());

  async function whileGenerating(dataset: string, meanwhile: () => void, extra: string[] = []): Promise<Run> {
    const requestsBefore = server.requests.length;
    const running = run(["generate", dataset, "--model", server.url, "--count", "1", "--append", "--seed", "3", ...extra]);
    const deadline = Date.now() + 20_000;
    while (server.requests.length === requestsBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    meanwhile();
    return running;
  }

  it("a line another process appends while entries are generated is kept, and the entries follow it", async () => {
    const dataset = file("concurrent.jsonl", alpacaJsonl);
    const theirs = JSON.stringify({ instruction: "Name the largest ocean on the planet Earth.", input: "", output: "The Pacific." });
    const result = await whileGenerating(dataset, () => appendFileSync(dataset, `${theirs}\n`));
    assert.equal(result.status, 0, result.stderr);
    const lines = readFileSync(dataset, "utf8").split("\n");
    assert.equal(lines.slice(0, alpacaRows.length + 1).join("\n"), `${alpacaJsonl}${theirs}`);
    assert.equal(lines.length, alpacaRows.length + 3, "the original rows, theirs, ours and the final newline");
    assert.equal(JSON.parse(lines[alpacaRows.length + 1]).instruction !== undefined, true);
  });

  it("through a symbolic link, the dataset it points to gets the rows and the link stays a link", async () => {
    const real = file("real.jsonl", alpacaJsonl);
    const link = join(dir, "link.jsonl");
    symlinkSync(real, link);
    const result = await run(["generate", link, "--model", server.url, "--count", "1", "--append", "--seed", "5"]);
    assert.equal(result.status, 0, result.stderr);
    assert.ok(lstatSync(link).isSymbolicLink(), "the link was replaced by a file");
    assert.equal(readFileSync(real, "utf8").split("\n").length, alpacaRows.length + 2);
    assert.match(result.stderr, new RegExp(`appended 1 entry to ${real.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
  });

  it("a file rewritten meanwhile is left as it is, and the message says what happened", async () => {
    const dataset = file("rewritten.jsonl", alpacaJsonl);
    const shorter = `${JSON.stringify(alpacaRows[0])}\n`;
    const result = await whileGenerating(dataset, () => writeFileSync(dataset, shorter));
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /was rewritten while the entries were generated \(it shrank from [\d,]+ to [\d,]+ bytes\); nothing was appended; the entries are on standard output/,
    );
    assert.equal(readFileSync(dataset, "utf8"), shorter);
    assert.equal(result.stdout.trim().split("\n").length, 1);
  });

  it("a JSON array is read as rows, and --append adds elements before its closing bracket", async () => {
    const pretty = file("alpaca_data.json", `${JSON.stringify(alpacaRows, null, 4)}\n`);
    const result = await run(["generate", pretty, "--model", server.url, "--count", "2", "--append", "--seed", "7"]);
    assert.equal(result.status, 0, result.stderr);
    const rows = JSON.parse(readFileSync(pretty, "utf8")) as unknown[];
    assert.equal(rows.length, alpacaRows.length + 2);
    assert.deepEqual(rows.slice(0, alpacaRows.length), alpacaRows);
    assert.ok(
      readFileSync(pretty, "utf8").startsWith(JSON.stringify(alpacaRows, null, 4).slice(0, -2)),
      "the bytes before the last element's end are unchanged",
    );
    const minified = file("minified.json", JSON.stringify(alpacaRows));
    const again = await run(["generate", minified, "--model", server.url, "--count", "1", "--append", "--seed", "8"]);
    assert.equal(again.status, 0, again.stderr);
    assert.equal((JSON.parse(readFileSync(minified, "utf8")) as unknown[]).length, alpacaRows.length + 1);
  });

  it("the counts add up to the requests sent", async () => {
    const result = await run(["generate", file("counts.jsonl", alpacaJsonl), "--model", server.url, "--count", "3", "--parallel", "4", "--seed", "2"]);
    assert.equal(result.status, 0, result.stderr);
    const summary = /^(\d+) accepted, (\d+) rejected(?:, (\d+) not needed[^,:]*)?(?:, (\d+) failed)?: (\d+) requests?$/m.exec(result.stderr);
    assert.ok(summary, result.stderr);
    const [accepted, rejected, surplus, failed, requests] = summary.slice(1).map((n) => Number(n ?? 0));
    assert.equal(accepted, 3);
    assert.equal(accepted + rejected + surplus + failed, requests);
  });
});

describe("issue 18: hostile numbers in a training config are refused by name", () => {
  const cases: Array<[string, RegExp]> = [
    ["sequence_len: .inf", /sequence_len: \.inf is not a whole number/],
    ["micro_batch_size: 1e300", /micro_batch_size: 1e\+300 is out of range/],
    ["sequence_len: 0", /sequence_len: 0 is out of range/],
    ["sequence_len: -5", /sequence_len: -5 is out of range/],
    ["micro_batch_size: 0", /micro_batch_size: 0 is out of range/],
    ["gradient_accumulation_steps: abc", /gradient_accumulation_steps: "abc" is not a whole number/],
    ["num_epochs: 0", /num_epochs: 0 is out of range/],
    ["warmup_ratio: 5", /warmup_ratio: 5 is out of range/],
  ];
  for (const [line, message] of cases) {
    it(`stats exits 2 on "${line}" and names the key and its line`, async () => {
      const config = file(`config-${line.replace(/\W+/g, "_")}.yml`, `base_model: x\ndatasets:\n  - path: ./data.jsonl\n    type: alpaca\n${line}\n`);
      const result = await run(["stats", file("data.jsonl", alpacaJsonl), "--config", config]);
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stderr, message);
      assert.match(result.stderr, new RegExp(`${config.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:5: `));
    });
  }
});

describe("issue 18: lint keeps every finding and bounded memory", () => {
  it("400,000 identical rows missing output: the threads give what one thread gives, even when a thread runs out of memory", async () => {
    const dataset = file("identical.jsonl", `${'{"instruction":"Say hi to me","input":""}\n'.repeat(400_000)}`);
    const summary = async (threads: string) => {
      const result = await run(["lint", dataset, "--json", "--max-findings", "0"], { env: { INSTRUCT_STUDIO_LINT_THREADS: threads }, limitMs: 240_000 });
      assert.equal(result.status, 1, result.stderr);
      return JSON.parse(result.stderr.trim().split("\n").at(-1)!) as { findingsByRule: Record<string, { findings: number }> };
    };
    const one = await summary("1");
    const two = await summary("2");
    assert.deepEqual(two.findingsByRule, one.findingsByRule);
    assert.equal(one.findingsByRule["missing-field"]?.findings, 400_000);
  });

  it("a JSON array with no findings is read in bounded memory, from a file and from standard input alike", async () => {
    // 170,000 rows (30 MB) of unrelated words: no row has a finding, so nothing but the validator's progress lets elements go.
    const words =
      "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu river mountain ocean forest desert city village market harbor bridge castle garden museum library school station planet comet galaxy nebula meteor orbit crater volcano glacier canyon meadow prairie island".split(
        " ",
      );
    let x = 12345;
    const word = () => words[(x = (x * 1103515245 + 12345) % 2147483648) % words.length];
    const phrase = (n: number) => Array.from({ length: n }, word).join(" ");
    const text = JSON.stringify(
      Array.from({ length: 170_000 }, (_, i) => ({ instruction: `Describe ${phrase(7)} number ${i}.`, input: "", output: `It is ${phrase(9)}.` })),
    );
    const path = file("big_array.json", text);
    // A heap well under what holding every element takes (the code before this fix died at 100 MB).
    const env = { NODE_OPTIONS: "--max-old-space-size=96" };
    // From a file on two threads, the rows handed to them in chunks: the main thread holds only
    // the chunks not yet compared (a 64 MB heap; with nothing let go it ran out of memory there).
    // Standard input is read on one thread.
    const fromFile = await run(["lint", path, "--json", "--rule", "near-duplicate=off"], {
      env: { NODE_OPTIONS: "--max-old-space-size=64", INSTRUCT_STUDIO_LINT_THREADS: "2" },
      limitMs: 240_000,
    });
    assert.equal(fromFile.status, 0, fromFile.stderr.slice(-2000));
    assert.equal(fromFile.stdout.trim(), "[]");
    const fromStdin = await run(["lint", "-", "--json", "--rule", "near-duplicate=off"], { env, input: text, limitMs: 240_000 });
    assert.equal(fromStdin.status, 0, fromStdin.stderr.slice(-2000));
    assert.equal(fromStdin.stdout.trim(), "[]");
  });

  it("a minified array gets the same per-element findings from standard input as from its file", async () => {
    const rows = [...alpacaRows, { instruction: "Say hi", input: "", outptu: "Hi" }];
    const text = JSON.stringify(rows);
    const fromFile = await run(["lint", file("minified_findings.json", text), "--json"]);
    const fromStdin = await run(["lint", "-", "--json"], { input: `${text}\n` });
    const shape = (r: Run) => (JSON.parse(r.stdout) as Array<{ line: number; column: number; rule: string }>).map((d) => `${d.line}:${d.column} ${d.rule}`);
    assert.deepEqual(shape(fromStdin), shape(fromFile));
    assert.ok(
      shape(fromFile).some((d) => d.endsWith("unknown-key") || d.endsWith("missing-field")),
      shape(fromFile).join(", "),
    );
    assert.ok(!shape(fromStdin).some((d) => d.endsWith("not-object")));
    const jsonl = await run(["lint", "-", "--json"], { input: "[1,2]\n[3,4]\n" });
    assert.ok(
      shape(jsonl).every((d) => d.endsWith("not-object")),
      "JSON Lines whose rows are arrays stay JSON Lines",
    );
  });
});

describe("issue 18: a crafted GGUF cannot abort the process that reports", () => {
  it("a 1 KB llama GGUF without llama.context_length is refused by name, exit 2, no abort", async () => {
    const crafted = join(dir, "crafted.gguf");
    const tokens = Array.from({ length: 8 }, (_, i) => `t${i}`);
    writeGguf(
      crafted,
      {
        "general.architecture": { type: "string", value: "llama" },
        "llama.embedding_length": { type: "u32", value: 8 },
        "llama.block_count": { type: "u32", value: 1 },
        "tokenizer.ggml.model": { type: "string", value: "gpt2" },
        "tokenizer.ggml.tokens": { type: "strings", value: tokens },
        "tokenizer.ggml.merges": { type: "strings", value: ["t 0"] },
      },
      [],
    );
    assert.ok(readFileSync(crafted).length < 2048);
    const data = file("gguf.jsonl", alpacaJsonl);
    for (const args of [
      ["lint", data, "--tokenizer", crafted, "--max-tokens", "100"],
      ["stats", data, "--tokenizer", crafted],
    ]) {
      const result = await run(args);
      assert.equal(result.signal, null);
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /crafted\.gguf is not a valid GGUF file: it has no llama\.context_length, which llama\.cpp requires of a llama model/);
      assert.doesNotMatch(result.stderr, /memory/);
    }
  });
});
