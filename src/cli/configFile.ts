import { readFileSync, statSync } from "node:fs";
import { configSizeProblem, parseTrainingConfig, TrainingConfig, TrainingConfigError } from "../core/config/trainingConfig";
import { UsageError } from "./usageError";

export function readConfigFile(path: string): string {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no training config at ${path}`);
  if (!stat.isFile()) throw new UsageError(`the training config ${path} is not a file`);
  const tooBig = configSizeProblem(stat.size);
  if (tooBig) throw new UsageError(`the training config ${path}: ${tooBig}`);
  return readFileSync(path, "utf8");
}

/** The config `--config` names; one the trainer would refuse (bad YAML, a value out of range) is a usage error naming each key. */
export function readTrainingConfig(path: string): TrainingConfig {
  let config: TrainingConfig;
  try {
    config = parseTrainingConfig(readConfigFile(path));
  } catch (error) {
    if (error instanceof TrainingConfigError) throw new UsageError(`the training config ${path}: ${error.message}`);
    throw error;
  }
  const problems = config.problems ?? [];
  if (problems.length > 0) {
    throw new UsageError(
      `the training config ${path} has ${problems.length === 1 ? "a value" : `${problems.length} values`} the trainer would refuse:\n${problems.map((p) => `  ${path}:${(p.line ?? 0) + 1}: ${p.message}`).join("\n")}`,
    );
  }
  return config;
}
