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
