import { spawn } from "node:child_process";
import { once } from "node:events";
import { statSync } from "node:fs";
import { crashCause } from "./crashCause";

/**
 * Whether a command runs in a child with a capped heap. `lint` of JSON Lines without a tokenizer
 * holds bounded indexes and runs no native code: its peak was the same with and without the cap
 * up to 256 MB (193 MB on a 50 MB file, 317 against 323 MB on 256 MB), so it runs in this
 * process and spares a Node start (0.22 s against 0.13 s for a small file). A larger file, any
 * `.json` argument (a JSON array of 50 MB peaked at 272 MB with the cap and 293 MB without, on
 * two threads), standard input (it may be an array), tokenizers (a GGUF file is read by native
 * code, a 27 MB tokenizer.json loads in several times its size) and `stats` keep the child.
 */
export function needsCappedChild(argv: readonly string[]): boolean {
  const [command, ...args] = argv.slice(2);
  if (command === "stats") return true;
  if (command !== "lint") return false;
  return args.some((arg) => arg === "-" || arg.startsWith("--tokenizer") || arg.toLowerCase().endsWith(".json") || isLargeFile(arg));
}

/**
 * From this size a lint of JSON Lines keeps the cap too: on 1 GB (two threads) it peaked at
 * 406 MB with it and 425 MB without, where the child's start is a hundredth of the run.
 */
export const cappedFromBytes = 256 * 1024 * 1024;

const isLargeFile = (arg: string) => (statSync(arg, { throwIfNoEntry: false })?.size ?? 0) >= cappedFromBytes;

/**
 * A capped V8 heap keeps `stats` and the lint of JSON arrays bounded. The CLI re-runs itself once
 * in a child with the cap (unless the user set one): the parent stays to report how the child
 * ended, so a native abort (llama.cpp reading a model file) or an out-of-memory kill is reported
 * as what it is, with the child's own last words.
 */
export async function relaunchWithHeapCap(): Promise<number | undefined> {
  const command = process.argv[2];
  if (!needsCappedChild(process.argv)) return undefined;
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
