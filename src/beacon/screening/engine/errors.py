"""The two ways a screening can be refused: a bad instrument file, or bad input to an evaluation."""

from __future__ import annotations


class InstrumentError(Exception):
    """An instrument file that cannot be used. The message names the file, the line or key, and why."""

    def __init__(self, file: str, reason: str, *, line: int | None = None, key: str | None = None) -> None:
        self.file = file
        self.reason = reason
        self.line = line
        self.key = key
        where = file if line is None else f"{file}, line {line}"
        if key:
            where = f"{where}, at {key}"
        super().__init__(f"{where}: {reason}")


class ScreeningInputError(ValueError):
    """Input the engine cannot evaluate: an unknown instrument, population, item ID or answer value."""
