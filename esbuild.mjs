// Builds the extension (CommonJS for VS Code's Node host), the webview (browser) and the CLI.
//   node esbuild.mjs               development build, with source maps
//   node esbuild.mjs --production  minified, as packaged into the VSIX
//   node esbuild.mjs --tests       also the unit tests, integration suite, launchers and benchmark
//   node esbuild.mjs --watch       rebuild on change
import * as esbuild from "esbuild";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { jinjaValueTypes } from "./scripts/jinja-value-types.mjs";

const args = new Set(process.argv.slice(2));
const production = args.has("--production");
const watch = args.has("--watch");
const withTests = args.has("--tests") || watch;

const common = {
  bundle: true,
  sourcemap: !production,
  minify: production,
  logLevel: "warning",
  target: "node20",
  plugins: [jinjaValueTypes],
  // jsonc-parser's UMD entry hides its requires from bundlers; its ESM entry bundles cleanly.
  mainFields: ["module", "main"],
};

// node-llama-cpp is ESM-only with a native binary: it stays in node_modules and is reached with import().
const productBuilds = [
  {
    ...common,
    entryPoints: {
      extension: "src/extension.ts",
      "model-worker": "src/workers/modelWorker.ts",
      "preview-worker": "src/workers/previewWorker.ts",
      "validate-worker": "src/workers/diskValidationWorker.ts",
      "document-worker": "src/workers/documentValidationWorker.ts",
      "config-worker": "src/workers/configWorker.ts",
      "budget-worker": "src/workers/budgetWorker.ts",
    },
    outdir: "out",
    platform: "node",
    format: "cjs",
    external: ["vscode", "node-llama-cpp"],
  },
  {
    ...common,
    entryPoints: { cli: "src/cli/launch.ts", "cli-main": "src/cli/main.ts", "lint-worker": "src/cli/lintWorker.ts" },
    outdir: "out",
    platform: "node",
    format: "cjs",
    external: ["node-llama-cpp"],
    banner: { js: "#!/usr/bin/env node" },
  },
  {
    ...common,
    entryPoints: {
      webview: "webview/main.ts",
      "budget-webview": "webview/budget.ts",
      "report-webview": "webview/report.ts",
      "webview-style": "webview/style.css",
    },
    outdir: "out",
    platform: "browser",
    format: "iife",
    target: "es2022",
  },
];

const tsFilesIn = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f));

// Tests and tools keep their packages external: they run from this checkout's node_modules.
const testBuilds = [
  { dir: "test/unit", out: "out/test/unit" },
  { dir: "test/suite", out: "out/test/suite", external: ["vscode"] },
  { dir: "test/launch", out: "out/test/launch" },
  { dir: "bench", out: "out/bench", external: ["vscode"] },
].map(({ dir, out, external = [] }) => ({
  ...common,
  entryPoints: tsFilesIn(dir),
  outdir: out,
  platform: "node",
  format: "cjs",
  packages: "external",
  external,
}));

const builds = withTests ? [...productBuilds, ...testBuilds] : productBuilds;

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
  console.log("esbuild: watching for changes");
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
