import { readFileSync, statSync } from "node:fs";
import { maxConfigBytes } from "../core/config/trainingConfig";
import { UsageError } from "./usageError";


export function readConfigFile(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no training config at ${path}`);
  if (!stat.isFile()) throw new UsageError(`the training config ${path} is not a file`);
  if (stat.size > maxConfigBytes) {
    throw new UsageError(`the training config ${path} is ${(stat.size / 1024 / 1024).toFixed(0)} MB; a config is a few KB, and files over ${maxConfigBytes / 1024 / 1024} MB are not read (is it the dataset?)`);
  }
  return readFileSync(path, "utf8");
}
