"""The keyword-spotting pipeline behind `voxgate-train kws`: synthesis,
dataset, float training, QAT, export with parity, evaluation. Each step reads
what the previous one wrote in the run directory, so any step can run alone."""

from .config import RunConfig, load_config

__all__ = ["RunConfig", "load_config"]
