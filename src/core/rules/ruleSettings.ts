import { RuleId, ruleIds, RuleSetting, RuleSettings } from "./catalog";

const settings: readonly RuleSetting[] = ["off", "error", "warning", "info", "hint"];

/**
 * The `instructStudio.rules` setting, checked: an unknown rule or severity is dropped with a
 * message naming it (the rule keeps its default), so one typo never turns validation off.
 * Severities are read case-insensitively ("Error" is error).
 */
export function parseRuleSettings(value: unknown, source = "instructStudio.rules", lenient = true): { rules: RuleSettings; problems: string[] } {
  // The editor goes on without a bad entry and says what it did; the CLI refuses it (lenient false).
  const then = (consequence: string) => (lenient ? `; ${consequence}.` : "");
  const rules: RuleSettings = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (typeof value !== "object" || Array.isArray(value))
    return { rules, problems: [`${source} should be an object of rule: severity, not ${JSON.stringify(value)}${then("every rule keeps its default")}`] };
  for (const [rule, severity] of Object.entries(value)) {
    if (!ruleIds.includes(rule as RuleId)) {
      problems.push(`${source}: "${rule}" is no rule of Instruct Studio${then("it is ignored")}`);
      continue;
    }
    const normalized = typeof severity === "string" ? (severity.trim().toLowerCase() as RuleSetting) : undefined;
    if (!normalized || !settings.includes(normalized)) {
      problems.push(`${source}: ${JSON.stringify(severity)} for "${rule}" is not one of ${settings.join(", ")}${then("the rule keeps its default")}`);
      continue;
    }
    rules[rule] = normalized;
  }
  return { rules, problems };
}
