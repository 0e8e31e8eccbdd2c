import type { JSONPath } from "jsonc-parser";
import { textKeyOf } from "../formats/instructionTypes";
import type { Diagnostic } from "../lint/diagnostic";
import { formatLabels, withArticle } from "../formats/detect";
import { instructionSchema } from "../formats/alpaca";
import { formatSchemas } from "../formats/registry";
import { FormatSchema, jsonTypeOf } from "../formats/schema";
import { didYouMean } from "../rules/didYouMean";
import { finding, RowContext } from "../formats/rowContext";

/** Unused keys reported one by one per object; the rest are counted in one finding. */
export const maxUnusedKeyFindings = 20;

/** Checks the keys of the object at `path` against a schema: missing, wrong type, misspelt, unused. */
export function checkObjectKeys(ctx: RowContext, object: Record<string, unknown>, path: JSONPath, schema: FormatSchema, what: string): Diagnostic[] {
  const found: Diagnostic[] = [];
  let unusedNames: string[] | undefined;
  let unused = 0;
  for (const key of Object.keys(object)) {
    const spec = Object.hasOwn(schema, key) ? schema[key] : undefined;
    if (spec) {
      const type = jsonTypeOf(object[key]);
      if (!spec.types.includes(type)) {
        found.push(finding("wrong-type", ctx.valueSpan([...path, key]), `\`${key}\` should be ${spec.types.join(" or ")}, not ${type}.`));
      }
      continue;
    }
    unusedNames ??= Object.keys(schema).filter((k) => !Object.hasOwn(object, k));
    const suggestion = didYouMean(key, unusedNames);
    if (suggestion) {
      const keySpan = ctx.keySpan([...path, key]);
      found.push(
        finding("unknown-key", keySpan, `Unknown key \`${key}\` in ${what}: did you mean \`${suggestion}\`?`, {
          title: `Rename \`${key}\` to \`${suggestion}\``,
          edits: [{ ...keySpan, newText: JSON.stringify(suggestion) }],
        }),
      );
    } else if (++unused <= maxUnusedKeyFindings) {
      found.push(finding("unused-key", ctx.keySpan([...path, key]), `\`${key}\` is not a field of ${what}; trainers ignore it.`));
    }
  }
  if (unused > maxUnusedKeyFindings) {
    const more = (unused - maxUnusedKeyFindings).toLocaleString("en-US");
    found.push(finding("unused-key", ctx.braceSpan(path), `${more} more keys of ${what} are not fields of its format; trainers ignore them.`));
  }
  // for...in reads the schema's keys from its enumeration cache: Object.entries built an array of pairs on every row.
  for (const key in schema) {
    if (Object.hasOwn(schema, key) && schema[key].required && !Object.hasOwn(object, key)) {
      found.push(finding("missing-field", ctx.braceSpan(path), `${what[0].toUpperCase()}${what.slice(1)} has no \`${key}\`; add it.`));
    }
  }
  return found;
}

/** Top-level keys of a row against its format's schema. */
export function checkRowKeys(ctx: RowContext): Diagnostic[] {
  const type = ctx.mapping.instructionType;
  const base = type ? instructionSchema(type, ctx.row) : formatSchemas[ctx.format];
  const textKey = textKeyOf(ctx.mapping);
  const systemKey = ctx.mapping.chatSystemKey;
  const renamesSystem = !!systemKey && systemKey !== "system" && (ctx.format === "sharegpt" || ctx.format === "openai");
  const renamesText = ctx.format === "text" && textKey !== "text";
  const movesTurns = ctx.layout !== undefined && !Object.hasOwn(base, ctx.layout.field);
  // Most rows take their format's schema as it is: copied (a spread of 20 keys a row) only to change it.
  const schema = renamesSystem || renamesText || movesTurns || ctx.mapping.extraKeys ? { ...base } : base;
  if (renamesSystem) {
    delete schema.system;
    schema[systemKey!] = { types: ["string"] };
  }
  for (const key of ctx.mapping.extraKeys ?? []) schema[key] ??= { types: ["string", "number", "boolean", "array", "object", "null"] };
  if (renamesText) {
    delete schema.text;
    schema[textKey] = { types: ["string"], required: true };
  }
  if (ctx.layout && !Object.hasOwn(schema, ctx.layout.field)) {
    delete schema[ctx.format === "sharegpt" ? "conversations" : "messages"];
    schema[ctx.layout.field] = { types: ["array"], required: true };
  }
  return checkObjectKeys(ctx, ctx.row, [], schema, rowNoun(type?.label ?? formatLabels[ctx.format]));
}

/** "an Alpaca row": kept per label, as every row names its own. */
const rowNouns = new Map<string, string>();
function rowNoun(label: string): string {
  let noun = rowNouns.get(label);
  if (noun === undefined) rowNouns.set(label, (noun = `${withArticle(label)} row`));
  return noun;
}
