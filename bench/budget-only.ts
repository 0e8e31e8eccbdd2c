// `node out/bench/budget-only.js`: just the training-budget figures (BENCH_STATS_MB sets the file's size, default 1024).
import { statsThroughput } from "./budgetBench";

void statsThroughput().then((figures) => console.log("stats", figures));
