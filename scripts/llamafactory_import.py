"""Imports a LLaMA-Factory checkout's data package for the reference scripts: its optional audio and
config modules (torchaudio, omegaconf), which text rows never reach, are stood in for."""
import importlib.machinery
import sys
import types
from pathlib import Path


def use_checkout(checkout: Path) -> None:
    for name in ("torchaudio", "omegaconf"):
        module = types.ModuleType(name)
        module.__spec__ = importlib.machinery.ModuleSpec(name, None)
        sys.modules.setdefault(name, module)
    sys.modules["omegaconf"].OmegaConf = object
    sys.path.insert(0, str(checkout / "src"))


def load_file(path: Path, name: str) -> types.ModuleType:
    """One self-contained module of a checkout (tool_utils.py, processor_utils.py), loaded as a file:
    the package's heavy imports are not needed."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module
