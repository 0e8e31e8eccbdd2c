#!/usr/bin/env python3
"""Packs the row lengths of test/fixtures/trainers/packing-cases.json the way each trainer does:
LLaMA-Factory's greedy_knapsack (its processor_utils.py, loaded as a file from a checkout) over
each batch of preprocessing_batch_size rows, and TRL's pack_dataset (bfd, bfd_split, wrapped)
through datasets.map as SFTTrainer calls it. Writes test/fixtures/trainers/packing-references.json:
the number of packed sequences and the tokens placed; src/core/budget/trainerPacking.ts must give
the same.

Needs TRL, datasets and pyarrow, and a LLaMA-Factory checkout, never at test time:
  python3 scripts/packing-references.py /path/to/LLaMA-Factory "<its version>" """
import json
import sys
from pathlib import Path

import trl
from datasets import Dataset
from trl.data_utils import pack_dataset

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from llamafactory_import import load_file  # noqa: E402
CASES = ROOT / "test/fixtures/trainers/packing-cases.json"
TARGET = ROOT / "test/fixtures/trainers/packing-references.json"


def main():
    checkout, version = Path(sys.argv[1]), sys.argv[2]
    lf = load_file(checkout / "src/llamafactory/data/processor/processor_utils.py", "lf_processor_utils")
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    out = {"source": f"LLaMA-Factory {version}, trl {trl.__version__}", "results": {}}
    for name, case in cases.items():
        lengths, capacity = case["lengths"], case["capacity"]
        bins = placed = 0
        for start in range(0, len(lengths), 1000):
            batch = [length for length in lengths[start:start + 1000] if length <= capacity]
            knapsacks = lf.greedy_knapsack(batch, capacity)
            bins += len(knapsacks)
            placed += sum(sum(k) for k in knapsacks)
        out["results"][f"{name}/llama-factory"] = {"bins": bins, "placed": placed}
        dataset = Dataset.from_dict({"input_ids": [[1] * length for length in lengths], "labels": [[1] * length for length in lengths]})
        for strategy in ("bfd", "bfd_split", "wrapped"):
            packed = pack_dataset(dataset, capacity, strategy)
            out["results"][f"{name}/trl-{strategy}"] = {"bins": len(packed), "placed": sum(len(ids) for ids in packed["input_ids"])}
    TARGET.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out['results'])} references to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
