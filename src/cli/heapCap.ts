import { spawn } from "node:child_process";
import { once } from "node:events";
import { crashCause } from "./crashCause";

/**
 * lint and stats stream any file with bounded indexes; a capped V8 heap keeps the process itself
 * bounded too (measured: 650 MB peak on a 1 GB file without the cap, under 300 MB with it). The
 * CLI re-runs itself once in a child with the cap (unless the user set one): the parent stays to
 * report how the child ended, so a native abort (llama.cpp reading a model file) or an
 * out-of-memory kill is reported as what it is, with the child's own last words.
 */
export async function relaunchWithHeapCap(): Promise<number | undefined> {
  const command = process.argv[2];
  if (command !== "lint" && command !== "stats") return undefined;
  if (process.env.INSTRUCT_STUDIO_HEAP_CAPPED) return undefined;
  const userSet = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((a) => a.includes("--max-old-space-size"));
  // A tokenizer.json of 27 MB needs several times that while it loads; findings stream either way.
  const heapMb = process.argv.includes("--tokenizer") ? 2048 : 128;
  const child = spawn(process.execPath, [...(userSet ? [] : [`--max-old-space-size=${heapMb}`]), ...process.execArgv, __filename, ...process.argv.slice(2)], {
    stdio: ["inherit", "inherit", "pipe"],
    env: { ...process.env, INSTRUCT_STUDIO_HEAP_CAPPED: "1" },
  });
  let lastWords = "";
  child.stderr.on("data", (chunk: Buffer) => {
    process.stderr.write(chunk);
    lastWords = (lastWords + chunk.toString("utf8")).slice(-4096);
  });
  const [code, signal] = (await once(child, "close")) as [number | null, NodeJS.Signals | null];
  if (code !== null) return code;
  // Killed: a crash, never "errors found".
  process.stderr.write(`instruct-studio: the ${command} process stopped (${signal ?? "killed"}): ${crashCause(lastWords, signal)}\n`);
  return 2;
}
