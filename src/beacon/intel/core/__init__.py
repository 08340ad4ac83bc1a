"""Beacon intelligence core: posts -> contacts, flags, templates and networks. No Django here.

from beacon.intel.core import read_posts, analyse, AnalysisConfig
result = analyse(read_posts("posts.jsonl"), AnalysisConfig())
for network in result.networks[:10]:
    print(network.rank, network.score, network.phones, network.cities)
"""

from .baseline import infoshield_coarse
from .extractors import extract
from .flags import Rules, default_rules, load_rules, score_flags
from .generator import generate_corpus, read_truth
from .ingest import FIELD_ALIASES, ColumnMapping, MappingError, Preview, preview, read_posts
from .metrics import FlagScore, PairScores, adjusted_rand_index, flag_scores, pair_scores
from .models import Age, Email, Extraction, FlagHit, FlagMatch, Handle, Phone, Place, Post, Price, RowError
from .normalise import normalise_email, normalise_phone
from .pipeline import (
    AnalysisConfig,
    AnalysisResult,
    Hub,
    Network,
    NetworkFlag,
    PlaceVisit,
    TemplateCluster,
    analyse,
    networks_containing,
)

__all__ = [
    "FIELD_ALIASES",
    "Age",
    "AnalysisConfig",
    "AnalysisResult",
    "ColumnMapping",
    "Email",
    "Extraction",
    "FlagHit",
    "FlagMatch",
    "FlagScore",
    "Handle",
    "Hub",
    "MappingError",
    "Network",
    "NetworkFlag",
    "PairScores",
    "Phone",
    "Place",
    "PlaceVisit",
    "Post",
    "Preview",
    "Price",
    "RowError",
    "Rules",
    "TemplateCluster",
    "adjusted_rand_index",
    "analyse",
    "default_rules",
    "extract",
    "flag_scores",
    "generate_corpus",
    "infoshield_coarse",
    "load_rules",
    "networks_containing",
    "normalise_email",
    "normalise_phone",
    "pair_scores",
    "preview",
    "read_posts",
    "read_truth",
    "score_flags",
]
