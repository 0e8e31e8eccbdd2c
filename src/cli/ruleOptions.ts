import { readFileSync } from "node:fs";
import type { RuleSettings } from "../core/rules/catalog";
import { parseRuleSettings } from "../core/rules/ruleSettings";
import { UsageError } from "./usageError";

/**
 * `--rules <file.json>` (the `instructStudio.rules` setting's shape) then each `--rule id=severity`
 * over it. The CLI refuses what the editor would skip: a CI job must not pass on a typo.
 */
export function ruleOptions(rulesFile: string | undefined, rule: string[] | undefined): RuleSettings | undefined {
  if (!rulesFile && !rule?.length) return undefined;
  let fromFile: unknown = {};
  if (rulesFile) {
    try {
      fromFile = JSON.parse(readFileSync(rulesFile, "utf8"));
    } catch (error) {
      throw new UsageError(`--rules ${rulesFile}: ${(error as Error).message}`);
    }
  }
  const file = parseRuleSettings(fromFile, `--rules ${rulesFile}`, false);
  const pairs: Record<string, string> = {};
  for (const entry of rule ?? []) {
    const at = entry.indexOf("=");
    if (at <= 0) throw new UsageError(`--rule wants id=severity (off, error, warning, info, hint), not "${entry}"`);
    pairs[entry.slice(0, at).trim()] = entry.slice(at + 1);
  }
  const flags = parseRuleSettings(pairs, "--rule", false);
  const problems = [...file.problems, ...flags.problems];
  if (problems.length > 0) throw new UsageError(problems.join("\n"));
  return { ...file.rules, ...flags.rules };
}
