"""Beacon's screening engine: pure Python, no Django.

Instruments are data files (``beacon/screening/instruments/*.yaml``) checked against
``instrument.schema.json`` when loaded; the engine evaluates answers against them and routes the
result to next steps. Typical use::

    from beacon.screening.engine import ScreeningContext, evaluate, get_instrument

    result = evaluate(get_instrument("ilo-2009"), "adult-labour", {"DR01": "yes", "EX01": "yes"},
                      ScreeningContext(foreign_national=True))
    result.determination          # "insufficient-information"
    result.to_dict()              # JSON-ready, English; pass language= and translate= to localise
"""

from beacon.screening.engine.errors import InstrumentError, ScreeningInputError
from beacon.screening.engine.evaluation import ScreeningResult, UnconfirmedFact, evaluate
from beacon.screening.engine.i18n import Message, gettext_noop, localize
from beacon.screening.engine.immigration import ImmigrationFacts, ImmigrationPrescreen, immigration_prescreen
from beacon.screening.engine.loader import load_instrument, load_instrument_text
from beacon.screening.engine.model import ANSWERS, POPULATIONS, Instrument, Item
from beacon.screening.engine.registry import ENV_VAR, clear_cache, get_instrument, load_instruments
from beacon.screening.engine.routing import SERVICE_CATEGORIES, NextStep, Phone, ScreeningContext, route

__all__ = [
    "ANSWERS",
    "ENV_VAR",
    "POPULATIONS",
    "SERVICE_CATEGORIES",
    "ImmigrationFacts",
    "ImmigrationPrescreen",
    "Instrument",
    "InstrumentError",
    "Item",
    "Message",
    "NextStep",
    "Phone",
    "ScreeningContext",
    "ScreeningInputError",
    "ScreeningResult",
    "UnconfirmedFact",
    "clear_cache",
    "evaluate",
    "get_instrument",
    "gettext_noop",
    "immigration_prescreen",
    "load_instrument",
    "load_instrument_text",
    "load_instruments",
    "localize",
    "route",
]
