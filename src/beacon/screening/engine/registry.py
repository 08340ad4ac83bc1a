"""Where instruments come from: the files shipped with Beacon, plus an organisation's own directories.

An organisation licensed to use another tool adds a directory of instrument files, either with
``extra_dirs`` or with the ``BEACON_INSTRUMENT_DIRS`` environment variable (directories separated
by ``os.pathsep``, ":" on Linux and macOS): no code changes. Every ``*.yaml`` file in a directory
is an instrument; two files with the same instrument ID are refused, naming both.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from beacon.screening.engine.errors import InstrumentError, ScreeningInputError
from beacon.screening.engine.loader import load_instrument
from beacon.screening.engine.model import Instrument

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "instruments"
ENV_VAR = "BEACON_INSTRUMENT_DIRS"


def instrument_dirs(extra_dirs: Iterable[str | Path] = ()) -> tuple[Path, ...]:
    """The built-in directory, then those in BEACON_INSTRUMENT_DIRS, then ``extra_dirs``."""
    from_env = [part for part in os.environ.get(ENV_VAR, "").split(os.pathsep) if part.strip()]
    return _resolved((BUILTIN_DIR, *from_env, *extra_dirs))


@lru_cache(maxsize=64)
def _resolved(dirs: tuple[str | Path, ...]) -> tuple[Path, ...]:
    # Resolving touches the file system; instruments are looked up on every tip and screening.
    return tuple(Path(d).expanduser().resolve() for d in dirs)


@lru_cache(maxsize=16)
def _load(dirs: tuple[Path, ...]) -> Mapping[str, Instrument]:
    instruments: dict[str, Instrument] = {}
    for directory in dict.fromkeys(dirs):
        if not directory.is_dir():
            raise InstrumentError(str(directory), "not a directory of instrument files")
        for path in sorted(directory.glob("*.yaml")):
            instrument = load_instrument(path)
            if instrument.id in instruments:
                raise InstrumentError(
                    str(path),
                    f"instrument ID {instrument.id!r} is already defined in {instruments[instrument.id].path}",
                    key="id",
                )
            instruments[instrument.id] = instrument
    return MappingProxyType(instruments)


def load_instruments(extra_dirs: Iterable[str | Path] = ()) -> Mapping[str, Instrument]:
    """Every instrument, by ID (loaded once per set of directories, then cached)."""
    return _load(instrument_dirs(extra_dirs))


def get_instrument(instrument_id: str, extra_dirs: Iterable[str | Path] = ()) -> Instrument:
    instruments = load_instruments(extra_dirs)
    try:
        return instruments[instrument_id]
    except KeyError:
        known = ", ".join(sorted(instruments))
        raise ScreeningInputError(f"unknown instrument {instrument_id!r} (known: {known})") from None


def clear_cache() -> None:
    """Forget loaded instruments (after instrument files change)."""
    _load.cache_clear()
    _resolved.cache_clear()
