// `npm run bench`: each figure is measured against a baseline run in the same process.
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { ensureCodeServer, installVsix, startCodeServer } from "../test/launch/codeServer";
import { artifactsDir, repoRoot } from "../test/launch/paths";
import { packageVsix } from "../test/launch/integrationRun";
import { runSuiteInWorkbench } from "../test/launch/workbench";
import { loadJsonlGrammar } from "../test/unit/grammarHarness";
import type { ActivationSample } from "./activationProbe";
import { statsThroughput } from "./budgetBench";
import { modelOverhead } from "./modelBench";
import { datasetScale } from "./datasetScaleBench";
import { longConversation, previewLatency, tokenizerLoadAndThroughput } from "./previewBench";
import { alpacaFile, cliPeakMemory, hostileRows, lintThroughput, revalidationLatency } from "./validationBench";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** Tokenizing a long reasoning row with and without our injection grammars (vscode-textmate). */
async function grammarCost(): Promise<Record<string, number>> {
  const turn = "Let me think step by step. <think>16 - 3 - 4 = 9, and 9 × 2 = 18.</think> 오늘은 날씨가 좋습니다. ";
  const content = turn.repeat(Math.ceil(200_000 / turn.length)).slice(0, 200_000);
  const line = JSON.stringify({
    messages: [
      { role: "user", content: "Solve it." },
      { role: "assistant", content },
    ],
  });
  const time = async (withInjections: boolean) => {
    const grammar = await loadJsonlGrammar(withInjections);
    grammar.tokenizeLine(line, null); // warm-up
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      grammar.tokenizeLine(line, null);
      runs.push(performance.now() - started);
    }
    return median(runs);
  };
  const baseMs = await time(false);
  const injectedMs = await time(true);
  return { lineCharacters: line.length, baseMs, injectedMs, ratio: injectedMs / baseMs };
}

/** The empty baseline extension, packaged like ours so both install and load the same way. */
function packageBaseline(): string {
  const dir = join(repoRoot, "test", "fixtures", "baseline-extension");
  const out = join(artifactsDir, "baseline-extension.vsix");
  const vsce = join(dirname(require.resolve("@vscode/vsce/package.json")), "vsce");
  execFileSync(process.execPath, [vsce, "package", "--out", out], { cwd: dir, stdio: "ignore" });
  return out;
}

async function activation(vsix: string, launches: number): Promise<ActivationSample[]> {
  const entry = ensureCodeServer();
  const baselineVsix = packageBaseline();
  const samples: ActivationSample[] = [];
  for (let i = 0; i < launches; i++) {
    const runDir = join(artifactsDir, "bench-activation");
    rmSync(runDir, { recursive: true, force: true });
    const dirs = { userDataDir: join(runDir, "user-data"), extensionsDir: join(runDir, "extensions"), folder: join(runDir, "workspace") };
    for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
    installVsix(entry, [vsix, baselineVsix], dirs);
    const resultsFile = join(runDir, "sample.json");
    const env = { INSTRUCT_STUDIO_TEST_RESULTS: resultsFile, INSTRUCT_STUDIO_BASELINE_FIRST: i % 2 === 0 ? "1" : "0" };
    const server = await startCodeServer(entry, { ...dirs, logFile: join(runDir, "code-server.log"), env });
    try {
      const code = await runSuiteInWorkbench({
        server,
        folder: dirs.folder,
        extensionDevelopmentPath: join(repoRoot, "test", "fixtures", "host-extension"),
        extensionTestsPath: join(repoRoot, "out", "bench", "activationProbe.js"),
        screenshotDir: join(runDir, "screenshots"),
        timeoutMs: 120_000,
        log: (line) => /error/i.test(line) && console.log(`[bench] ${line}`),
      });
      if (code !== 0) throw new Error(`activation probe failed (see ${runDir}/code-server.log)`);
      samples.push(JSON.parse(readFileSync(resultsFile, "utf8")));
    } finally {
      await server.stop();
    }
  }
  return samples;
}

async function main(): Promise<void> {
  const validation = {
    lint: await lintThroughput(await alpacaFile(50)),
    revalidation: revalidationLatency(300_000, 300),
    hostile: hostileRows(),
    cliMemory: await cliPeakMemory(await alpacaFile(1024)),
    // --json streams its array: the peak must stay near the plain output's.
    cliMemoryJson: await cliPeakMemory(await alpacaFile(1024), ["lint", "--json", await alpacaFile(1024)], () => undefined),
  };
  const preview = { latency: await previewLatency(), tokenizers: await tokenizerLoadAndThroughput(), conversation: longConversation() };
  const budget = await statsThroughput();
  const model = await modelOverhead(9);
  const scale = await datasetScale();
  const grammar = await grammarCost();
  const vsix = packageVsix();
  const vsixBytes = statSync(vsix).size;
  const samples = await activation(vsix, 7);
  const extensionMs = median(samples.map((s) => s.extensionMs));
  const baselineMs = median(samples.map((s) => s.baselineMs));
  const report = {
    activation: {
      launches: samples.length,
      extensionMs,
      emptyExtensionMs: baselineMs,
      ratio: extensionMs / baselineMs,
      insideActivateMs: median(samples.map((s) => s.insideActivateMs)),
    },
    vsix: { file: vsix, bytes: vsixBytes, mebibytes: vsixBytes / 1024 / 1024 },
    grammar,
    validation,
    preview,
    budget,
    model,
    scale,
    samples,
  };
  const fmt = (n: number) => n.toFixed(2);
  console.log("\n== Instruct Studio benchmark");
  console.log(
    `activation (VSIX in VS Code 1.100.3, median of ${samples.length} fresh hosts): ${fmt(extensionMs)} ms = ${fmt(report.activation.ratio)}x an empty extension installed the same way (${fmt(baselineMs)} ms); activate() itself ${fmt(report.activation.insideActivateMs)} ms`,
  );
  console.log(`VSIX size: ${fmt(report.vsix.mebibytes)} MiB (${vsixBytes} bytes)`);
  console.log(
    `grammar: tokenizing a ${grammar.lineCharacters}-character row takes ${fmt(grammar.injectedMs)} ms = ${fmt(grammar.ratio)}x VS Code's bare JSON Lines grammar (${fmt(grammar.baseMs)} ms)`,
  );
  const { lint, revalidation, hostile, cliMemory, cliMemoryJson } = validation;
  console.log(
    `lint: ${fmt(lint.megabytes)} MB Alpaca file in ${fmt(lint.lintMs)} ms = ${fmt(lint.ratio)}x the throughput of a bare JSON.parse loop over it (${fmt(lint.baselineMs)} ms); on ${lint.threads} threads (the CLI's path for files from 16 MB) ${fmt(lint.lintEveryCoreMs)} ms = ${fmt(lint.ratioEveryCore)}x, ${fmt(lint.speedupEveryCore)}x faster than one thread, ${fmt(lint.speedupEveryCoreWarm)}x with threads kept from an earlier file (CPU of all threads: ${fmt(lint.lintCpuMs)} ms on one, ${fmt(lint.lintEveryCoreCpuMs)} ms with new threads, ${fmt(lint.lintEveryCoreWarmCpuMs)} ms with kept ones); the same rows as an indented JSON array (${fmt(lint.arrayMegabytes)} MB) ${fmt(lint.lintJsonArrayMs)} ms on one thread, ${fmt(lint.lintJsonArrayEveryCoreMs)} ms on ${lint.threads} (${fmt(lint.speedupJsonArrayEveryCore)}x)`,
  );
  console.log(
    `re-validation after a one-line edit in a ${revalidation.lines}-line document: p50 ${fmt(revalidation.p50Ms)} ms, p95 ${fmt(revalidation.p95Ms)} ms (${revalidation.edits} edits), publishing p95 ${fmt(revalidation.publishP95Ms)} ms; first validation ${fmt(revalidation.openMs)} ms, in slices`,
  );
  console.log(
    `100,000 identical rows: first validation ${fmt(hostile.identicalOpenMs)} ms (distinct rows ${fmt(hostile.distinctOpenMs)} ms); p95 per edit ${fmt(hostile.identicalEditP95Ms)} ms = ${fmt(hostile.editP95Ratio)}x distinct rows (${fmt(hostile.distinctEditP95Ms)} ms); publishing 1,000 diagnostics p95 ${fmt(hostile.identicalPublishP95Ms)} ms (distinct rows ${fmt(hostile.distinctPublishP95Ms)} ms)`,
  );
  console.log(
    `100,000 rows of one template, one word apart (one group of near duplicates): first validation ${fmt(hostile.nearOpenMs)} ms; p95 per edit ${fmt(hostile.nearEditP95Ms)} ms = ${fmt(hostile.nearEditP95Ratio)}x distinct rows; publishing p95 ${fmt(hostile.nearPublishP95Ms)} ms`,
  );
  console.log(
    `a row of 40,000 keys: ${fmt(hostile.wideRowMs)} ms = ${fmt(hostile.wideRowRatio)}x a row of the same length with 4 keys (${fmt(hostile.sameLengthRowMs)} ms)`,
  );
  console.log(
    `CLI lint of a ${fmt(cliMemory.gigabytes)} GB file: peak RSS ${fmt(cliMemory.peakMb)} MB, ${fmt(cliMemory.seconds)} s; with --json ${fmt(cliMemoryJson.peakMb)} MB, ${fmt(cliMemoryJson.seconds)} s`,
  );
  const { latency, tokenizers, conversation } = preview;
  console.log(
    `preview of a ${conversation.turns}-turn conversation (Qwen3's template, every prefix rendered as Axolotl's find_turn does): ${fmt(conversation.previewMs)} ms = ${fmt(conversation.ratio)}x one render and tokenization of the whole (${fmt(conversation.renderAndTokenizeOnceMs)} ms)`,
  );
  console.log(
    `preview of a ${latency.tokens}-token row (render + tokenize + masks, after warm-up): p50 ${fmt(latency.p50Ms)} ms, p95 ${fmt(latency.p95Ms)} ms = ${fmt(latency.ratio)}x one bare tokenization of its text (p95 ${fmt(latency.encodeP95Ms)} ms)`,
  );
  console.log(
    `tokenizer load: Qwen3 tokenizer.json folder ${fmt(tokenizers.folderLoadMs)} ms = ${fmt(tokenizers.folderLoadRatio)}x a bare JSON.parse of tokenizer.json (${fmt(tokenizers.jsonParseMs)} ms); its GGUF with llama.cpp, vocabulary only, ${fmt(tokenizers.ggufLoadMs)} ms`,
  );
  console.log(
    `tokenization throughput on ${fmt(tokenizers.megabytes)} MB of mixed English/Korean: @huggingface/tokenizers ${fmt(tokenizers.tokenizersMBps)} MB/s, llama.cpp ${fmt(tokenizers.llamaCppMBps)} MB/s on the same vocabulary (tokenizers takes ${fmt(1 / tokenizers.throughputRatio)}x llama.cpp's time; same count: ${tokenizers.sameCount === 1 ? "yes" : "NO"})`,
  );
  console.log(
    `training budget: stats on a ${fmt(Number(budget.megabytes))} MB dataset (${budget.rows} rows, Qwen3 tokenizer, ChatML, masks, packing; counted with ${budget.counting}): ${fmt(Number(budget.statsSeconds))} s, ${fmt(Number(budget.statsMBps))} MB/s, ${fmt(Number(budget.statsTokensPerSecond))} tokens/s, peak RSS ${fmt(Number(budget.peakMb))} MB per process = ${fmt(Number(budget.ratio))}x the time of a bare llama.cpp tokenization loop over the same text (${fmt(Number(budget.bareLlamaCppSeconds))} s, ${fmt(Number(budget.bareLlamaCppTokensPerSecond))} tokens/s, one core)`,
  );
  const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
  console.log(
    `local model (CPU, ${model.threads} threads, ${model.maxTokens} tokens, median of ${model.runs}): through the extension's worker ${fmt(model.workerTokensPerSecond)} tokens/s and ${fmt(model.workerFirstTokenMs)} ms to the first token; node-llama-cpp called directly ${fmt(model.directTokensPerSecond)} tokens/s and ${fmt(model.directFirstTokenMs)} ms: overhead ${pct(model.throughputOverhead)} in throughput, ${pct(model.firstTokenOverhead)} to the first token (${fmt(model.workerFirstTokenMs - model.directFirstTokenMs)} ms); median of the back-to-back pairs' ratios ${pct(model.pairedThroughputOverhead)} and ${pct(model.pairedFirstTokenOverhead)}`,
  );
  const levels = scale.concurrency
    .map((f) => `${f.concurrency}: ${fmt(f.rowsPerSecond)} rows/s = ${pct(f.ofIdeal)} of ${fmt(f.idealRowsPerSecond)}`)
    .join("; ");
  const at64 = scale.concurrency[scale.concurrency.length - 1];
  console.log(
    `critique at dataset scale, against a server with ${scale.latencyMs} ms latency (rows/s against the ideal, concurrency / latency): ${levels}; our CPU ${fmt(at64.cpuMsPer1000Rows)} ms per 1,000 rows at 64 in flight; heap ${fmt(scale.memory.retainedKbPer1000Rows)} KB kept per 1,000 rows (peak growth ${fmt(scale.memory.peakHeapGrowthMb)} MB over ${scale.memory.rows} rows)`,
  );
  console.log(
    `resuming ${scale.resume.rows.toLocaleString("en-US")} rows that all have results: ${fmt(scale.resume.resumeMs)} ms = ${fmt(scale.resume.ratio)}x hashing the rows (${fmt(scale.resume.hashingMs)} ms), no request sent`,
  );
  mkdirSync(artifactsDir, { recursive: true });
  writeFileSync(join(artifactsDir, "bench.json"), JSON.stringify(report, null, 2));
  console.log(`written to ${join(artifactsDir, "bench.json")}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
