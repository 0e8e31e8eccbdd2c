import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadJsonlGrammar, scopesOf, tokenizeLine } from "./grammarHarness";

const has = (scopes: string[], prefix: string) => scopes.some((s) => s.startsWith(prefix));

describe("JSONL injection grammar", () => {
  it("colours instruction-format keys and leaves unknown keys as plain property names", async () => {
    const grammar = await loadJsonlGrammar();
    const tokens = tokenizeLine(grammar, '{"instruction": "Add", "input": "", "output": "2", "note": "x"}');
    for (const key of ["instruction", "input", "output"]) {
      assert.ok(has(scopesOf(tokens, key), "entity.name.tag.field"), key);
    }
    const note = scopesOf(tokens, "note");
    assert.ok(has(note, "support.type.property-name.json.lines"));
    assert.ok(!has(note, "entity.name.tag"));
  });

  it("colours message structure keys and each role value", async () => {
    const grammar = await loadJsonlGrammar();
    const tokens = tokenizeLine(
      grammar,
      '{"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "q"}, {"role": "assistant", "content": "a"}, {"role": "tool", "content": "t"}]}',
    );
    assert.ok(has(scopesOf(tokens, "messages"), "storage.type.structure"));
    assert.ok(has(scopesOf(tokens, "role"), "storage.type.structure"));
    assert.ok(has(scopesOf(tokens, "content"), "entity.name.tag.field"));
    assert.ok(has(scopesOf(tokens, "system"), "storage.type.role.system"));
    assert.ok(has(scopesOf(tokens, "user"), "entity.name.type.role.user"));
    assert.ok(has(scopesOf(tokens, "assistant"), "entity.name.function.role.assistant"));
    assert.ok(has(scopesOf(tokens, "tool"), "variable.language.role.tool"));
  });

  it("colours ShareGPT role names but not the same word inside longer text", async () => {
    const grammar = await loadJsonlGrammar();
    const tokens = tokenizeLine(grammar, '{"conversations": [{"from": "human", "value": "the human said"}, {"from": "gpt", "value": "ok"}]}');
    assert.ok(has(scopesOf(tokens, "human"), "entity.name.type.role.user"));
    assert.ok(has(scopesOf(tokens, "gpt"), "entity.name.function.role.assistant"));
    assert.ok(!tokens.some((t) => t.text.includes("the human said") && has(t.scopes, "entity.name.type")));
  });

  it("marks special tokens inside strings, with escapes kept as escapes", async () => {
    const grammar = await loadJsonlGrammar();
    const line = String.raw`{"text": "<|im_start|>user\nHi<|im_end|> [INST] x [/INST] <think>r</think> <|begin_of_thought|> [|endofturn|] <｜end▁of▁sentence｜>"}`;
    const tokens = tokenizeLine(grammar, line);
    for (const special of [
      "<|im_start|>",
      "<|im_end|>",
      "[INST]",
      "[/INST]",
      "<think>",
      "</think>",
      "<|begin_of_thought|>",
      "[|endofturn|]",
      "<｜end▁of▁sentence｜>",
    ]) {
      assert.ok(has(scopesOf(tokens, special), "keyword.control.special-token"), special);
    }
    assert.ok(has(scopesOf(tokens, "\\n"), "constant.character.escape.json.lines"));
  });

  it("marks leaked prompt-template markers", async () => {
    const grammar = await loadJsonlGrammar();
    const tokens = tokenizeLine(grammar, '{"output": "Sure.\\n### Response: done [[[Assistant]]]"}');
    assert.ok(has(scopesOf(tokens, "### Response:"), "markup.heading.template-marker"));
    assert.ok(has(scopesOf(tokens, "[[[Assistant]]]"), "markup.heading.template-marker"));
  });

  it("does not treat a lone angle bracket or pipe as a special token", async () => {
    const grammar = await loadJsonlGrammar();
    const tokens = tokenizeLine(grammar, '{"output": "a <| b and x | y > z"}');
    assert.ok(!tokens.some((t) => has(t.scopes, "keyword.control.special-token")));
  });
});
