// A worker thread that reads and parses one training config: YAML parsing of a few megabytes
// takes seconds, which the extension host must not spend.
import { readFileSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { parseTrainingConfig } from "../core/config/trainingConfig";
import type { ConfigParsed } from "../protocol/configWorker";

const post = (message: ConfigParsed) => parentPort?.postMessage(message);
try {
  post({ config: parseTrainingConfig(readFileSync(workerData as string, "utf8")) });
} catch (error) {
  post({ error: error instanceof Error ? error.message : String(error) });
}
