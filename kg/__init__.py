"""kg: a bilingual knowledge-graph explorer of deep-learning concepts.

The library loads concept packs into NetworkX, checks them, and answers study questions.
"""
from .errors import KgError, PackError, UnknownConcept
from .pack import Limits, Pack, default_pack_path, load_pack
from .problems import CODES, Problem

__all__ = ["CODES", "KgError", "Limits", "Pack", "PackError", "Problem", "UnknownConcept", "default_pack_path", "load_pack"]
__version__ = "0.1.0"
