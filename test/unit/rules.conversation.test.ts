import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { applyFix, diagnose, only } from "./ruleHelpers";

const sharegpt = (...turns: Array<[string, string]>) => ({ conversations: turns.map(([from, value]) => ({ from, value })) });
const openai = (...turns: Array<[string, string | null]>) => ({ messages: turns.map(([role, content]) => ({ role, content })) });

describe("conversation rules", () => {
  it("unknown-role: OpenAI rows reject ShareGPT names, with a mapping fix", () => {
    const line = JSON.stringify(openai(["human", "hi"], ["assistant", "hello"]));
    const [found] = only(diagnose(line), "unknown-role");
    assert.match(found.message, /did you mean "user"/);
    assert.equal(JSON.parse(applyFix(line, found)).messages[0].role, "user");
    assert.deepEqual(only(diagnose(openai(["user", "hi"], ["assistant", "hello"])), "unknown-role"), []);
  });

  it("unknown-role: ShareGPT accepts human/gpt and user/assistant, not 'bot'", () => {
    assert.deepEqual(only(diagnose(sharegpt(["human", "hi"], ["gpt", "yo"])), "unknown-role"), []);
    assert.deepEqual(only(diagnose(sharegpt(["user", "hi"], ["assistant", "yo"])), "unknown-role"), []);
    const [found] = only(diagnose(sharegpt(["human", "hi"], ["bot", "yo"])), "unknown-role");
    assert.match(found.message, /did you mean "gpt"/);
  });

  it("role-order: two user turns in a row (LLaMA-Factory's Invalid role tag)", () => {
    const [found] = only(diagnose(sharegpt(["human", "a"], ["human", "b"], ["gpt", "c"])), "role-order");
    assert.match(found.message, /Turn 2 is user/);
    assert.match(found.message, /Invalid role tag/);
    assert.deepEqual(only(diagnose(sharegpt(["system", "s"], ["human", "a"], ["gpt", "b"])), "role-order"), []);
  });

  it("role-order: parallel tool results in OpenAI rows are one slot", () => {
    const row = {
      messages: [
        { role: "user", content: "weather in Seoul and Busan?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "a", type: "function", function: { name: "w", arguments: "{}" } },
            { id: "b", type: "function", function: { name: "w", arguments: "{}" } },
          ],
        },
        { role: "tool", tool_call_id: "a", content: "18" },
        { role: "tool", tool_call_id: "b", content: "20" },
        { role: "assistant", content: "18 and 20." },
      ],
    };
    assert.deepEqual(diagnose(row), []);
  });

  it("system-not-first", () => {
    assert.equal(only(diagnose(openai(["user", "a"], ["system", "s"], ["assistant", "b"])), "system-not-first").length, 1);
    assert.deepEqual(only(diagnose(openai(["system", "s"], ["user", "a"], ["assistant", "b"])), "system-not-first"), []);
  });

  it("no-assistant-turn and last-turn-not-assistant", () => {
    assert.equal(only(diagnose(openai(["user", "a"])), "no-assistant-turn").length, 1);
    assert.equal(only(diagnose(openai(["user", "a"], ["assistant", "b"], ["user", "c"])), "last-turn-not-assistant").length, 1);
    assert.deepEqual(only(diagnose(openai(["user", "a"], ["assistant", "b"])), "last-turn-not-assistant"), []);
  });

  it("message-count: ShareGPT SFT rows need an even count after the system turn", () => {
    const found = only(diagnose(sharegpt(["human", "a"], ["gpt", "b"], ["human", "c"])), "message-count");
    assert.match(found[0].message, /Invalid message count/);
    assert.deepEqual(only(diagnose(sharegpt(["human", "a"], ["gpt", "b"])), "message-count"), []);
    const preference = { ...sharegpt(["human", "a"]), chosen: { from: "gpt", value: "good" }, rejected: { from: "gpt", value: "bad" } };
    assert.deepEqual(only(diagnose(preference), "message-count"), [], "preference rows have an odd count");
  });

  it("empty-content: null content without a tool call", () => {
    assert.equal(only(diagnose(openai(["user", "a"], ["assistant", null])), "empty-content").length, 1);
    assert.equal(only(diagnose(openai(["user", "  "], ["assistant", "b"])), "empty-content").length, 1);
    const withCall = {
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: null, tool_calls: [{ id: "x" }] },
        { role: "tool", tool_call_id: "x", content: "r" },
        { role: "assistant", content: "done" },
      ],
    };
    assert.deepEqual(only(diagnose(withCall), "empty-content"), []);
  });

  it("tool-call-mismatch: a tool result answering no call", () => {
    const row = {
      messages: [
        { role: "user", content: "a" },
        { role: "assistant", content: null, tool_calls: [{ id: "call_1" }] },
        { role: "tool", tool_call_id: "call_9", content: "r" },
        { role: "assistant", content: "b" },
      ],
    };
    const [found] = only(diagnose(row), "tool-call-mismatch");
    assert.match(found.message, /"call_9" answers no earlier tool call \(call_1\)/);
    row.messages[2].tool_call_id = "call_1";
    assert.deepEqual(only(diagnose(row), "tool-call-mismatch"), []);
  });

  it("conversations with role/content keys (as the seed's dataset) are read with those keys", () => {
    const row = {
      conversations: [
        { role: "user", content: "a" },
        { role: "assistant", content: "b" },
      ],
    };
    assert.deepEqual(diagnose(row), []);
  });

  it("a training config's field and keys are used (field_messages, message_property_mappings)", () => {
    const row = {
      dialog: [
        { speaker: "user", text: "a" },
        { speaker: "assistant", text: "b" },
      ],
    };
    assert.deepEqual(diagnose(row, { layout: { field: "dialog", roleKey: "speaker", contentKey: "text" } }), []);
  });

  it("TRL conversational prompt/completion lists are checked for roles", () => {
    const row = { prompt: [{ role: "usr", content: "a" }], completion: [{ role: "assistant", content: "b" }] };
    assert.equal(only(diagnose(row), "unknown-role").length, 1);
  });
});
