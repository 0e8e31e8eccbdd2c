import { RuleId, ruleIds, RuleSetting, RuleSettings } from "./catalog";

const settings: readonly RuleSetting[] = ["off", "error", "warning", "info", "hint"];

/**
 * The `instructStudio.rules` setting, checked: an unknown rule or severity is dropped with a
 * message naming it (the rule keeps its default), so one typo never turns validation off.
 * Severities are read case-insensitively ("Error" is error).
 */
export function parseRuleSettings(value: unknown): { rules: RuleSettings; problems: string[] } {
  const rules: RuleSettings = {};
  const problems: string[] = [];
  if (value === undefined || value === null) return { rules, problems };
  if (typeof value !== "object" || Array.isArray(value)) return { rules, problems: [`instructStudio.rules should be an object of rule: severity, not ${JSON.stringify(value)}; every rule keeps its default.`] };
  for (const [rule, severity] of Object.entries(value)) {
    if (!ruleIds.includes(rule as RuleId)) {
      problems.push(`instructStudio.rules: "${rule}" is no rule of Instruct Studio; it is ignored.`);
      continue;
    }
    const normalized = typeof severity === "string" ? (severity.trim().toLowerCase() as RuleSetting) : undefined;
    if (!normalized || !settings.includes(normalized)) {
      problems.push(`instructStudio.rules: ${JSON.stringify(severity)} for "${rule}" is not one of ${settings.join(", ")}; the rule keeps its default.`);
      continue;
    }
    rules[rule] = normalized;
  }
  return { rules, problems };
}
