#!/usr/bin/env python3
"""Runs LLaMA-Factory's own tool formatters (src/llamafactory/data/tool_utils.py, loaded as a file
from a checkout) on test/fixtures/trainers/llama-factory-tool-cases.json: each format's
tool_formatter on each tool list and function_formatter on each list of calls. Writes
test/fixtures/trainers/llama-factory-tool-references.json; the formats in
src/core/trainers/llamaFactory/ must write the same text. Never needed at test time:
  python3 scripts/llama-factory-tool-references.py /path/to/LLaMA-Factory "<its version>" """
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from llamafactory_import import load_file  # noqa: E402
CASES = ROOT / "test/fixtures/trainers/llama-factory-tool-cases.json"
TARGET = ROOT / "test/fixtures/trainers/llama-factory-tool-references.json"


def main():
    checkout, version = Path(sys.argv[1]), sys.argv[2]
    tool_utils = load_file(checkout / "src/llamafactory/data/tool_utils.py", "lf_tool_utils")
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    out = {"source": f"LLaMA-Factory {version}", "results": {}}
    for name in cases["formats"]:
        utils = tool_utils.TOOLS[name]
        for tools_name, tools in cases["tools"].items():
            try:
                out["results"][f"{name}/tools/{tools_name}"] = utils.tool_formatter(json.loads(json.dumps(tools)))
            except (ValueError, KeyError, TypeError) as error:
                out["results"][f"{name}/tools/{tools_name}"] = {"raised": f"{type(error).__name__}: {error}"}
        for calls_name, calls in cases["calls"].items():
            try:
                out["results"][f"{name}/calls/{calls_name}"] = utils.function_formatter([tool_utils.FunctionCall(c["name"], c["arguments"]) for c in calls])
            except (ValueError, KeyError, TypeError) as error:
                out["results"][f"{name}/calls/{calls_name}"] = {"raised": f"{type(error).__name__}: {error}"}
    TARGET.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(out['results'])} references to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
