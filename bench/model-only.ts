// `node out/bench/model-only.js`: just the local-model overhead figures (about a minute).
import { modelOverhead } from "./modelBench";

void modelOverhead(9).then((figures) => console.log("generation through the worker vs node-llama-cpp directly", figures));
