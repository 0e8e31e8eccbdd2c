import type { Diagnostic } from "../lint/diagnostic";
import { AnswerWords, isAnswer } from "./answerWords";
import { checkGenerationArtifacts } from "./generationArtifacts";
import { holdsAnswerKeyword } from "./answerKeywords";
import { checkedCharBit } from "./minhash";
import { detectMojibake } from "./mojibake";
import { finding, RowContext } from "../formats/rowContext";
import { isInputField, TextField } from "./textFields";

/** Inconsistent no-input markers (AlpacaDataCleaned's list and their variants). */
const placeholderInput = /^\s*(?:n\/?a\.?|<\s*no\s*-?\s*input\s*>|no\s*-?\s*input\.?|noinput|none\.?|null|nil|-+|not applicable\.?|<\s*empty\s*>|empty)\s*$/i;
const placeholderOutput = /^\s*(?:n\/?a\.?|<\s*no\s*-?\s*output\s*>|no\s*-?\s*output\.?|nooutput|none\.?|null|-+)\s*$/i;
/**
 * Refusals and AI disclaimers by their shape: an "as an AI / language model" that goes on to what
 * the model cannot do, an apology that goes on to a disclaimer or a refusal, a refused request.
 * Self-introductions ("I was trained ... as a language model") and dialogue ("I'm afraid I can't,
 * Dave") are not boilerplate.
 */
const cannot = String.raw`(?:cannot|can't|can not|do not|don't|am not able|am unable|won't|will not|have no|lack)`;
const asAnAi = String.raw`as (?:an? )?(?:AI|artificial intelligence|(?:large )?language model)(?: (?:language )?model| assistant)?`;
export const refusals = [
  new RegExp(String.raw`\b${asAnAi},? I(?:'m| am)? ?${cannot}\b`, "i"),
  new RegExp(
    String.raw`\bI(?:'m| am) (?:sorry|afraid),? but (?:${asAnAi}|I ${cannot} (?:fulfill|comply|assist|help|provide|create|generate|write|answer))\b`,
    "i",
  ),
  /\bI (?:can(?:not|'t)|am unable to|am not able to) (?:fulfill|comply with|assist with|help with) (?:this|that|your) request\b/i,
  /\bOpenAI(?:'s)? (?:use[- ]case|content) polic/i,
];
/** A decline scoped to the tools of function-calling data ("none of the available functions can"): a fair answer there. */
const toolScoped = /\b(?:functions?|tools?|APIs?)\b/i;
/**
 * Template markers and control tokens that belong to a chat template, not to content. Reasoning
 * markers (`<think>`, `<|begin_of_thought|>`, ...) are data conventions and are left alone.
 */
/** The markers the grammar colours, anywhere in a value: a prompt label mid-answer is as leaked as one after a newline. */
const leakedTemplate =
  /<\|(?!(?:begin|end)_of_(?:thought|solution)\|>)[A-Za-z0-9_.:-]{1,40}\|>|<｜[^｜\n]{1,40}｜>|\[\/?INST\]|<<\/?SYS>>|<\/?s>|<(?:start|end)_of_turn>|\[\|(?:system|user|assistant|endofturn)\|\]|(?<!#)#{2,3}\s?(?:Instruction|Input|Response|Human|Assistant|System)\s?:/g;
export const mergedInstruction = /(?:^|\n)\s*(?:#{1,3}\s*)?\d{1,3}\s*[.)]\s*Instruction\s*:/i;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const thinkPairs = (
  [
    ["<think>", "</think>"],
    ["<|begin_of_thought|>", "<|end_of_thought|>"],
    ["<|begin_of_solution|>", "<|end_of_solution|>"],
  ] as Array<[string, string]>
).map(([open, close]) => ({ open, close, tags: new RegExp(`${escape(open)}|${escape(close)}`, "g") }));
const controlCharacter = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const controlCharacters = new RegExp(controlCharacter.source, "g");
/**
 * One scan that every pattern below needs to match somewhere: text without any of these
 * characters skips the other content checks (most text, at typing and at 1 GB alike). An
 * answer's characters were read for its words already, which noted whether it has one
 * (`checkedCharBit`, the same characters): this scan was 3% of a lint of Alpaca rows.
 */
export const mayNeedChecks = /[<[#\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u0080-\u04ff\u2013-\u2122｜]/;
const needsChecks = (text: string, kinds: number) => (kinds === -1 ? mayNeedChecks.test(text) : (kinds & checkedCharBit) !== 0);
function firstUnbalanced(text: string, open: string, tags: RegExp): number | undefined {
  if (!text.includes("<")) return undefined;
  let depth = 0;
  let lastOpen = -1;
  for (const match of text.matchAll(tags)) {
    if (match[0] === open) {
      depth++;
      lastOpen = match.index;
    } else if (--depth < 0) return match.index;
  }
  return depth > 0 ? lastOpen : undefined;
}

const hasTools = (row: Record<string, unknown>) =>
  (Array.isArray(row.tools) && row.tools.length > 0) || (typeof row.tools === "string" && row.tools.trim() !== "") || Array.isArray(row.functions);

const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x3000 || code === 0xfeff;

/** Content rules over every text field of a row. */
export function checkContent(ctx: RowContext, fields: TextField[], answers: AnswerWords): Diagnostic[] {
  const found: Diagnostic[] = [];
  const answerHashes = answers.words.data;
  for (let f = 0; f < fields.length; f++) {
    const field = fields[f];
    const { path, text } = field;
    if (field.isOutput && (text.trim() === "" || placeholderOutput.test(text))) {
      const rule = ctx.format === "s1k" && field.name === "attempt" ? "empty-attempt" : "empty-output";
      found.push(
        finding(
          rule,
          ctx.valueSpan(path),
          text.trim() === ""
            ? `\`${field.name}\` is empty: nothing to learn from this row.`
            : `\`${field.name}\` is a placeholder ("${text.trim()}"), not an answer.`,
        ),
      );
    }
    if (isInputField(field) && text !== "" && placeholderInput.test(text)) {
      found.push(
        finding(
          "placeholder-input",
          ctx.valueSpan(path),
          `"${text}" stands for no input; use "" so every row says it the same way.`,
          ctx.replaceValue(path, "", 'Replace with ""'),
        ),
      );
    }
    // A prompt ending in a space or newline and a completion starting with one are the usual separators of prompt/completion data.
    // Read only within the text: a read past its end (NaN) made V8 drop and recompile this function.
    const leading = text.length > 0 && isSpace(text.charCodeAt(0)) && !(ctx.format === "prompt-completion" && field.name === "completion");
    const trailing = text.length > 0 && isSpace(text.charCodeAt(text.length - 1)) && !(ctx.format === "prompt-completion" && field.name === "prompt");
    // Input-output segments are joined as written: their edges are where the text breaks, on purpose.
    if ((leading || trailing) && text.trim() !== "" && field.role !== "thinking" && ctx.format !== "input-output") {
      found.push(
        finding(
          "surrounding-whitespace",
          ctx.valueSpan(path),
          `\`${field.name}\` has leading or trailing whitespace, which is trained as written.`,
          ctx.replaceValue(path, text.trim(), "Trim whitespace"),
        ),
      );
    }
    const answerChecks = isAnswer(field) && holdsAnswerKeyword(answerHashes, answers.from[f], answers.to[f]);
    if (answerChecks) {
      for (const pattern of refusals) {
        const match = pattern.exec(text);
        if (match) {
          const span = ctx.spanInString(path, match.index, match.index + match[0].length);
          if (hasTools(ctx.row) && toolScoped.test(text)) {
            found.push({
              ...finding(
                "refusal-boilerplate",
                span,
                `A decline scoped to the available tools ("${match[0]}"): fine in function-calling data when no tool fits; check that none does.`,
              ),
              severity: "info",
            });
          } else found.push(finding("refusal-boilerplate", span, `Refusal boilerplate ("${match[0]}") teaches the model to refuse; rewrite or drop the row.`));
          break;
        }
      }
      const merged = mergedInstruction.exec(text);
      if (merged) {
        const start = merged.index + (merged[0].startsWith("\n") ? 1 : 0);
        found.push(
          finding(
            "merged-instructions",
            ctx.spanInString(path, start, merged.index + merged[0].length),
            "Another numbered instruction is merged into this output; split it into its own row.",
          ),
        );
      }
    }
    const covered = checkGenerationArtifacts(ctx, field, answerHashes, answers.from[f], answers.to[f], found);
    if (!needsChecks(text, answers.kinds[f])) continue;
    for (const match of text.matchAll(leakedTemplate)) {
      if (covered.some(([start, end]) => match.index >= start && match.index < end)) continue;
      found.push(
        finding(
          "leaked-template",
          ctx.spanInString(path, match.index, match.index + match[0].length),
          `Template marker ${match[0].trim()} inside content: the chat template adds these; remove it from the data.`,
        ),
      );
    }
    if (field.role === "assistant" || field.role === "thinking") {
      for (const { open, close, tags } of thinkPairs) {
        const index = firstUnbalanced(text, open, tags);
        if (index !== undefined) {
          const tag = text.startsWith(close, index) ? close : open;
          found.push(finding("unbalanced-think", ctx.spanInString(path, index, index + tag.length), `Unbalanced ${open}…${close}: ${tag} has no partner.`));
        }
      }
    }
    const mojibake = detectMojibake(text);
    if (mojibake) {
      found.push(
        finding(
          "mojibake",
          ctx.valueSpan(path),
          `Looks like UTF-8 text decoded as ${mojibake.codePage}; it reads "${mojibake.sample}".${mojibake.repaired ? "" : " Bytes were lost: re-export it from the source."}`,
          mojibake.repaired !== undefined ? ctx.replaceValue(path, mojibake.repaired, "Repair the text encoding") : undefined,
        ),
      );
    } else if (controlCharacter.test(text)) {
      found.push(
        finding(
          "control-characters",
          ctx.valueSpan(path),
          `\`${field.name}\` contains control characters.`,
          ctx.replaceValue(path, text.replace(controlCharacters, ""), "Remove control characters"),
        ),
      );
    }
  }
  return found;
}
