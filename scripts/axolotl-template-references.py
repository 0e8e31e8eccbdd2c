#!/usr/bin/env python3
"""Renders test/fixtures/axolotl-template-cases.json through Axolotl's own chat templates with
Python's Jinja2, configured as transformers' apply_chat_template configures it, as Axolotl's
chat_template strategy renders them: each whole conversation, and for each turn the two prefixes
its find_turn renders (the turn itself, and the turn's content replaced by "[[dummy_message]]"),
with `real_last_index` as Axolotl passes it. Writes test/fixtures/axolotl-template-references.json;
the built-in renderings (src/core/templates/axolotl/) must match it byte for byte.

The templates are read from a local Axolotl, never from this repository:
  python3 scripts/axolotl-template-references.py --templates <axolotl>/utils/chat_templates/templates \\
      --source "axolotl <version or commit>"
Names missing from that folder keep their earlier references. The special tokens each name is
rendered with come from the built-ins (`node out/test/launch/dump-axolotl-templates.js`; build first:
node esbuild.mjs --tests). Needs jinja2 >= 3.1."""
import argparse
import importlib.util
import json
import subprocess
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("template_references", ROOT / "scripts/template-references.py")
references = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(references)

DUMMY = "[[dummy_message]]"
TARGET = ROOT / "test/fixtures/axolotl-template-references.json"


def render(template, tokens, messages, tools, real_last_index=None):
    variables = {**tokens, "messages": messages, "add_generation_prompt": False}
    if tools:
        variables["tools"] = tools
    # Axolotl passes real_last_index only when it is truthy (`if real_last_index:`).
    if real_last_index:
        variables["real_last_index"] = real_last_index
    try:
        return template.render(**variables)
    except jinja2.exceptions.UndefinedError as error:
        # Jinja's own failure (a list has no .strip()), not the template's raise_exception.
        return {"failed": type(error).__name__}
    except jinja2.exceptions.TemplateError as error:
        return {"raised": str(error)}
    except (TypeError, AttributeError, KeyError, IndexError) as error:
        # The template cannot handle this conversation at all (a list where it adds strings):
        # Axolotl stops on such a row with Python's error.
        return {"failed": type(error).__name__}


def renderings(template, tokens, case):
    messages, tools = case["messages"], case.get("tools")
    last = len(messages) - 1
    out = {"full": render(template, tokens, messages, tools)}
    for k, turn in enumerate(messages):
        out[f"turn-{k}"] = render(template, tokens, messages[: k + 1], tools, last)
        out[f"dummy-{k}"] = render(template, tokens, messages[:k] + [{"role": turn["role"], "content": DUMMY}], tools, last)
    return out


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--templates", required=True, help="Axolotl's chat_templates/templates folder")
    parser.add_argument("--source", required=True, help="which Axolotl the templates come from")
    args = parser.parse_args()
    folder = Path(args.templates)
    cases = json.loads((ROOT / "test/fixtures/axolotl-template-cases.json").read_text(encoding="utf-8"))
    dump = subprocess.run(["node", str(ROOT / "out/test/launch/dump-axolotl-templates.js")], check=True, capture_output=True, text=True)
    out = json.loads(TARGET.read_text(encoding="utf-8")) if TARGET.exists() else {"now": references.NOW.isoformat(), "names": {}}
    for builtin in json.loads(dump.stdout):
        name = builtin["name"]
        path = folder / f"{name}.jinja"
        if not path.exists():
            continue
        template = references.environment().from_string(path.read_text(encoding="utf-8"))
        out["names"][name] = {
            "source": args.source,
            "cases": {case["name"]: renderings(template, builtin["specialTokens"], case) for case in cases},
        }
        print(f"{name}: rendered")
    out["names"] = dict(sorted(out["names"].items()))
    TARGET.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out['names'])} names to {TARGET}")


if __name__ == "__main__":
    main()
