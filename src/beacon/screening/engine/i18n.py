"""Translation markers and localised text for the engine's output.

The engine never translates: it marks every sentence a person reads with ``_`` (a no-op, like
Django's ``gettext_noop``) so ``makemessages`` collects it, and keeps the message id and its
parameters apart until render time, when the Django layer passes its own ``gettext``.
Texts that come from instrument files are already per language and are picked with ``localize``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

Translate = Callable[[str], str]
LocalizedText = Mapping[str, str]
"""Language code -> text, as written in an instrument file. ``en`` is always present."""

FALLBACK_LANGUAGE = "en"


def gettext_noop(message: str) -> str:
    """Mark ``message`` for translation without translating it."""
    return message


_ = gettext_noop


def localize(text: LocalizedText, language: str) -> str:
    """Pick ``language`` (then its base language, then English) from an instrument text."""
    if language in text:
        return text[language]
    base = language.split("-", 1)[0]
    return text.get(base) or text[FALLBACK_LANGUAGE]


def _identity(message: str) -> str:
    return message


Param = str | int | Mapping[str, str] | tuple["Param", ...]


@dataclass(frozen=True, slots=True)
class Message:
    """A sentence to show a person: a marked message id plus its named parameters."""

    msgid: str
    params: tuple[tuple[str, Param], ...] = ()

    def render(self, language: str = FALLBACK_LANGUAGE, translate: Translate | None = None) -> str:
        template = (translate or _identity)(self.msgid)
        if not self.params:
            return template
        return template.format(**{key: _render_param(value, language) for key, value in self.params})


def message(msgid: str, **params: Param) -> Message:
    return Message(msgid, tuple(params.items()))


def _render_param(value: Param, language: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, tuple):
        return "; ".join(_render_param(part, language) for part in value)
    return localize(value, language)
