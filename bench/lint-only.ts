// `node out/bench/lint-only.js`: lint throughput on a 50 MB Alpaca file against a bare JSON.parse loop (one thread and all).
import { alpacaFile, lintThroughput } from "./validationBench";

void (async () => console.log("lint throughput", await lintThroughput(await alpacaFile(50))))();
