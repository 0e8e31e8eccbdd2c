// `node out/bench/preview-only.js`: just the preview figures (about a minute).
import { previewLatency, tokenizerLoadAndThroughput } from "./previewBench";

async function main(): Promise<void> {
  console.log("render + tokenize + masks", await previewLatency());
  console.log("tokenizers", await tokenizerLoadAndThroughput());
}

void main();
