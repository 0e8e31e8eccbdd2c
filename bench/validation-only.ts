// `node out/bench/validation-only.js`: just the validation figures (a few minutes; the 1 GB file takes most).
import { alpacaFile, cliPeakMemory, hostileRows, lintThroughput, revalidationLatency } from "./validationBench";

async function main(): Promise<void> {
  const file50 = await alpacaFile(50);
  console.log("lint throughput", await lintThroughput(file50));
  console.log("re-validation", revalidationLatency(300_000, 300));
  console.log("hostile rows", hostileRows());
  if (!process.argv.includes("--no-1gb")) {
    const file = await alpacaFile(1024);
    console.log("cli memory", await cliPeakMemory(file));
    console.log("cli memory --json", await cliPeakMemory(file, ["lint", "--json", file], () => undefined));
  }
}

void main();
