// `node out/bench/preview-only.js`: just the preview figures (about a minute).
import { longConversation, previewLatency, tokenizerLoadAndThroughput } from "./previewBench";

async function main(): Promise<void> {
  console.log("render + tokenize + masks", await previewLatency());
  console.log("tokenizers", await tokenizerLoadAndThroughput());
  console.log("long conversation", longConversation());
}

void main();
