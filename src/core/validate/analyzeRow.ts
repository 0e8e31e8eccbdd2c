import { parse as parseTolerant, ParseError, ParseErrorCode } from "jsonc-parser";
import { detectRowFormat } from "../formats/detect";
import type { FormatId } from "../formats/formatLabels";
import { chatLayoutOf } from "../formats/layout";
import { FieldMapping, instructionTypeOf } from "../formats/instructionTypes";
import { countKeys, duplicateKeys, jsonShape, maxNestingDepth } from "../jsonl/jsonShape";
import { isPlainObject, stripBom } from "../jsonl/parseRow";
import type { Diagnostic } from "../lint/diagnostic";
import { checkRowSyntax } from "../lint/syntaxRules";
import { effectiveSeverity, RuleId, RuleSettings } from "../rules/catalog";
import { AnswerWords, answerWords } from "./answerWords";
import { checkContent } from "./content";
import { checkConversation } from "./conversation";
import { minhashSignature } from "./minhash";
import { rowSides, RowSketch } from "./rowSides";
import { finding, RowContext } from "../formats/rowContext";
import { checkRowKeys } from "./structure";
import type { TrainerTarget } from "../targets/trainerTarget";
import { textFields } from "./textFields";

export interface ValidationOptions extends FieldMapping {
  /** A format forced by a setting or a training config; otherwise each row's own is detected. */
  format?: FormatId;
  rules?: RuleSettings;
  /** The trainer the dataset is for, where trainers disagree (instructStudio.target, lint --target). */
  target?: TrainerTarget;
}

export interface RowAnalysis {
  kind: "blank" | "invalid" | "row";
  /** The row's own format, when it looks like instruction data. */
  format?: FormatId;
  diagnostics: Diagnostic[];
  /** A 53-bit hash of the row's roles and texts, whitespace normalised: equal keys are exact duplicates. */
  contentKey?: number;
  /** MinHash signature of the text, for near duplicates. */
  signature?: Uint32Array;
  /** Each field of the row, sketched, to judge a near-duplicate candidate. */
  sketch?: RowSketch;
  /** A short prompt's text and its answer's hash: compared by ROUGE-L with rows of the same answer. */
  shortPrompt?: Uint32Array;
  answerKey?: number;
  /** The texts a trainer reads, field by field, for token counts. */
  texts?: string[];
  /** A row of no known format: its first keys, to say what the file holds instead. */
  keys?: string[];
}

const stripCr = (line: string) => (line.endsWith("\r") ? line.slice(0, -1) : line);
/** A line's row: without its CR, and on the first line without a BOM (`bomLength`, where the row starts). */
const rowText = (rawLine: string, line: number) => (line === 0 ? stripBom(stripCr(rawLine)) : { text: stripCr(rawLine), bomLength: 0 });
/** A row's value, or undefined where it is not JSON (jsonc-parser then says where, for the rows that report it). */
function parsedOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
/** The first keys of a row of no known format: what the file holds instead, for its finding. */
const firstKeys = (value: Record<string, unknown>) => Object.keys(value).slice(0, 12);

/** 1 for the characters `contentHash` reads as white space. */
const hashSpaces = new Uint8Array(65536);
/** For each character, in one load: what `contentHash` mixes in (a white space as a space), and bit 16 set for a white space. */
const hashCodes = new Uint32Array(65536);
for (let code = 0; code < 65536; code++) hashCodes[code] = code;
for (const code of [9, 10, 11, 12, 13, 32, 0xa0]) {
  hashSpaces[code] = 1;
  hashCodes[code] = 32 | (1 << 16);
}
const spaceRuns = /[\t\n\v\f\r \u00a0]+/g;

/**
 * A 53-bit hash of who says what (roles and texts), with runs of whitespace read as one space
 * and ends trimmed, without building the normalised string for most texts (measured cheaper
 * than a native MD5 per row, whose per-call cost dominates on short rows). The two lanes are
 * locals of one loop: kept in module variables, they cost a store per character.
 *
 * Characters are mixed in two at a time, each pair one multiplication a lane and a shift that
 * brings the product's high bits down (the second character's bits reach the low ones): the
 * chain of multiplications, one a character, bounded the loop. A text is hashed as if it had no
 * run of white space, noting whether it has one; most have none. One that has is hashed again
 * with its runs collapsed to one space, so that it hashes as the text written with single spaces.
 */
export function contentHash(fields: Array<{ role: string; text: string }>): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const { role, text: roleText } of fields) {
    for (let part = 0; part < 2; part++) {
      let text = part === 0 ? role : roleText;
      let start = 0;
      let end = text.length;
      while (start < end && hashSpaces[text.charCodeAt(start)] === 1) start++;
      while (end > start && hashSpaces[text.charCodeAt(end - 1)] === 1) end--;
      const before1 = h1;
      const before2 = h2;
      for (;;) {
        let runs = 0;
        let afterSpace = 0;
        let i = start;
        for (; i + 1 < end; i += 2) {
          const first = hashCodes[text.charCodeAt(i)];
          const second = hashCodes[text.charCodeAt(i + 1)];
          runs |= (first & afterSpace) | (first & second);
          afterSpace = second;
          // The second character's space bit shifts out of the 32 bits.
          const pair = (first & 0xffff) | (second << 16);
          h1 = Math.imul(h1 ^ pair, 2654435761);
          h1 ^= h1 >>> 15;
          h2 = Math.imul(h2 ^ pair, 1597334677);
          h2 ^= h2 >>> 13;
        }
        if (i < end) {
          const last = hashCodes[text.charCodeAt(i)];
          runs |= last & afterSpace;
          h1 = Math.imul(h1 ^ (last & 0xffff), 2654435761);
          h1 ^= h1 >>> 15;
          h2 = Math.imul(h2 ^ (last & 0xffff), 1597334677);
          h2 ^= h2 >>> 13;
        }
        if (runs >>> 16 === 0) break;
        h1 = before1;
        h2 = before2;
        text = text.slice(start, end).replace(spaceRuns, " ");
        start = 0;
        end = text.length;
      }
      // A separator after the role (1) and after the text (2).
      h1 = Math.imul(h1 ^ (part + 1), 2654435761);
      h2 = Math.imul(h2 ^ (part + 1), 1597334677);
    }
  }
  const a = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  const b = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

/** Applies the user's rule settings: drops rules turned off, re-ranks the rest. */
export function applyRuleSettings(diagnostics: Diagnostic[], rules: RuleSettings | undefined): Diagnostic[] {
  if (!rules) return diagnostics;
  const kept: Diagnostic[] = [];
  for (const d of diagnostics) {
    const severity = effectiveSeverity(d.rule as RuleId, rules);
    if (severity) kept.push(severity === d.severity ? d : { ...d, severity });
  }
  return kept;
}

/**
 * Validates one line of a dataset. `fileFormat` is the format of the file (its rows' majority,
 * a setting or a config): rows that match no format are checked as that format; when it is
 * undefined the file is not instruction data and only syntax is checked.
 */
export function analyzeRow(rawLine: string, line: number, fileFormat: FormatId | undefined, options: ValidationOptions = {}): RowAnalysis {
  try {
    return analyzeRowUnguarded(rawLine, line, fileFormat, options);
  } catch (error) {
    // One row the rules cannot handle is one finding on that row, never a failed file.
    const reason = error instanceof Error ? error.message : String(error);
    const span = { line, column: 0, endLine: line, endColumn: Math.max(1, rawLine.length) };
    return {
      kind: "invalid",
      diagnostics: applyRuleSettings([finding("unreadable-row", span, `This row could not be checked (${reason}); the other rows were.`)], options.rules),
    };
  }
}

/**
 * What the file's format sample reads of a row (`sampleFileFormat`): whether it is an object,
 * the format it has of its own, and the keys of one with none, as `analyzeRow` finds them. The
 * whole analysis of the sample's first thousand rows (every rule, hashes, signatures) was done
 * again when the lint reached them, and at the start, before anything was compiled: 54 ms of a
 * 50 MB lint.
 */
export function sampleRow(rawLine: string, line: number, options: ValidationOptions): RowAnalysis {
  const { text } = rowText(rawLine, line);
  if (text.trim() === "") return { kind: "blank", diagnostics: [] };
  const invalid: RowAnalysis = { kind: "invalid", diagnostics: [] };
  if (jsonShape(text).maxDepth > maxNestingDepth) return invalid;
  const value = parsedOrUndefined(text);
  if (!isPlainObject(value)) return invalid;
  const format = options.format ?? detectRowFormat(value, options.layout);
  return format ? { kind: "row", format, diagnostics: [] } : { kind: "row", diagnostics: [], keys: firstKeys(value) };
}

function analyzeRowUnguarded(rawLine: string, line: number, fileFormat: FormatId | undefined, options: ValidationOptions): RowAnalysis {
  const { text, bomLength: base } = rowText(rawLine, line);
  if (text.trim() === "") return { kind: "blank", diagnostics: applyRuleSettings(checkRowSyntax(text, line).diagnostics, options.rules) };
  const shape = jsonShape(text);
  if (shape.maxDepth > maxNestingDepth) {
    const span = { line, column: base, endLine: line, endColumn: base + text.length };
    const message = `The row nests ${shape.maxDepth.toLocaleString("en-US")} levels deep; trainers' JSON readers stop near 1,000 (Python's recursion limit), and it is not checked past ${maxNestingDepth}.`;
    return { kind: "invalid", diagnostics: applyRuleSettings([finding("too-deep", span, message)], options.rules) };
  }
  const value = parsedOrUndefined(text);
  if (!isPlainObject(value)) {
    // Not JSON, or not an object: jsonc-parser gives the exact range of what is wrong.
    const syntax = checkRowSyntax(text, line).diagnostics.map((d) => ({ ...d, column: d.column + base, endColumn: d.endColumn + base }));
    // A row with a syntax error (a trailing comma, a missing one) still shows what else is wrong
    // with it, as jsonc-parser reads it: one fix at a time hides nothing.
    const recovered = value === undefined ? recoverRow(text) : undefined;
    // Its own format only: a row that does not parse must not depend on the others.
    const rowFindings = recovered ? checkObjectRow(text, base, line, recovered, undefined, options, shape.keyCount).diagnostics : [];
    return { kind: "invalid", diagnostics: applyRuleSettings([...syntax, ...rowFindings], options.rules) };
  }
  const checked = checkObjectRow(text, base, line, value, fileFormat, options, shape.keyCount);
  if (!checked.ctx) return { kind: "row", diagnostics: [], keys: firstKeys(value) };
  const { fields, answers, ownFormat } = checked;
  const texts = fields.map((f) => f.text);
  // Near duplicates are found by what a row asks (as Self-Instruct compares instructions): the
  // prompt side is shorter than the answers, and two rows asking the same are the ones to review.
  const sides = rowSides(fields, answers);
  return {
    kind: "row",
    format: ownFormat,
    diagnostics: applyRuleSettings(checked.diagnostics, options.rules),
    contentKey: contentHash(fields),
    signature: fields.some((f) => f.role === "user" || f.role === "system") ? sides.signature : minhashSignature(texts),
    sketch: sides.sketch,
    shortPrompt: sides.shortPrompt,
    answerKey: sides.answerKey,
    texts,
  };
}

/**
 * The object jsonc-parser recovers from a row that is not valid JSON, when nothing of it was lost:
 * a trailing comma, a missing comma, a comment. A row cut short or with stray characters is read
 * only for its syntax: what jsonc-parser makes of it is a guess.
 */
function recoverRow(text: string): Record<string, unknown> | undefined {
  const errors: ParseError[] = [];
  const recovered: unknown = parseTolerant(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.some((e) => e.error !== ParseErrorCode.CommaExpected)) return undefined;
  return isPlainObject(recovered) && Object.keys(recovered).length > 0 ? recovered : undefined;
}

/** The rules of one row on a parsed (or recovered) object; no context when the row matches no format. */
function checkObjectRow(
  text: string,
  base: number,
  line: number,
  value: Record<string, unknown>,
  fileFormat: FormatId | undefined,
  options: ValidationOptions,
  keyCount: number,
): { diagnostics: Diagnostic[]; fields: ReturnType<typeof textFields>; answers?: AnswerWords; ownFormat?: FormatId; ctx?: RowContext } {
  const ownFormat = options.format ?? detectRowFormat(value, options.layout);
  const format = ownFormat ?? fileFormat;
  if (!format) return { diagnostics: [], fields: [] };
  const layout = format === "sharegpt" || format === "openai" ? chatLayoutOf(value, options.layout) : undefined;
  const ctx = new RowContext(line, base, text, value, format, layout, options.roles, {
    instructionType: format === "alpaca" ? instructionTypeOf(value, options.instructionType) : undefined,
    textField: options.textField,
    chatSystemKey: options.chatSystemKey,
    extraKeys: options.extraKeys,
  });
  const diagnostics = checkRowKeys(ctx);
  if (keyCount !== countKeys(value)) diagnostics.push(...duplicateKeyFindings(ctx));
  if (layout)
    diagnostics.push(
      ...checkConversation(ctx, layout, {
        whole: true,
        preference: Object.hasOwn(value, "chosen") && Object.hasOwn(value, "rejected"),
        target: options.target,
      }),
    );
  for (const field of turnListFields) {
    if (!layout && Array.isArray(value[field])) {
      diagnostics.push(...checkConversation(ctx, { field, roleKey: "role", contentKey: "content" }, { whole: false, target: options.target }));
    }
  }
  const fields = textFields(ctx);
  const answers = answerWords(fields);
  diagnostics.push(...checkContent(ctx, fields, answers));
  return { diagnostics, fields, answers, ownFormat, ctx };
}

const turnListFields = ["prompt", "completion", "chosen", "rejected"];

function duplicateKeyFindings(ctx: RowContext): Diagnostic[] {
  return duplicateKeys(ctx.raw).map((d) => {
    const first = ctx.spanOf({ offset: d.firstOffset, length: d.length });
    return {
      ...finding("duplicate-key", ctx.spanOf(d), `\`${d.key}\` appears twice in one object: JSON readers keep only this last value and drop the first.`),
      related: [{ ...first, message: "First value (dropped)" }],
    };
  });
}
