import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { holdsAnswerKeyword } from "../../src/core/validate/answerKeywords";
import { mergedInstruction, refusals } from "../../src/core/validate/content";
import { WordList, wordHashes } from "../../src/core/validate/minhash";

/** Refusals, and near misses, in the shapes the patterns read. */
const phrases = [
  "As an AI, I cannot browse",
  "as AI I don't know",
  "As an artificial intelligence, I won't",
  "as a large language model I lack",
  "as an AI language model, I am unable",
  "I'm sorry, but as an AI assistant",
  "I am afraid, but I cannot help",
  "I cannot fulfill this request",
  "I can't assist with that request",
  "I am unable to comply with your request",
  "I am not able to help with this request",
  "OpenAI's use-case policy",
  "OpenAI use case policies",
  "OpenAI content policing",
  "1. Instruction:",
  "2)\u1680Instruction\u00a0:",
  "the language of the model",
  "I can tell",
];
/** What may stand right before or after a phrase: letters and marks that `\b` reads as the end of a word, and some it does not. */
const edges = ["", " ", "\n", "é", "«", "»", "한", "_", "x", "’", "'", "3", "\u3000", "\u1680", "。"];

const shape = (phrase: string, caseOf: number) => (caseOf === 0 ? phrase : caseOf === 1 ? phrase.toUpperCase() : phrase.toLowerCase());

describe("the answer keywords", () => {
  it("are in every answer that a refusal or merged-instruction pattern matches", () => {
    let matched = 0;
    const text = fc
      .array(fc.tuple(fc.constantFrom(...edges), fc.constantFrom(...phrases), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...edges)), {
        minLength: 1,
        maxLength: 3,
      })
      .map((parts) => parts.map(([before, phrase, caseOf, after]) => before + shape(phrase, caseOf) + after).join(" "));
    fc.assert(
      fc.property(text, (answer) => {
        const words = wordHashes(answer, new WordList());
        if (![...refusals, mergedInstruction].some((pattern) => pattern.test(answer))) return;
        matched++;
        assert.ok(holdsAnswerKeyword(words.data, 0, words.length), answer);
      }),
      { numRuns: 2000 },
    );
    // Most generated answers match a pattern: the property is not vacuous.
    assert.ok(matched > 1000, `${matched}`);
  });

  it("are not in most answers: ordinary prose skips the patterns", () => {
    const words = wordHashes("The model translates the sentence into another language, and you can check it.", new WordList());
    assert.equal(holdsAnswerKeyword(words.data, 0, words.length), false);
  });
});
