"""Which of the portal's languages a first text message is written in, when that is clear.

py3langid (langid.py's model) restricted to the 13 portal languages; a message too short or
too mixed to tell (under the confidence bar) gets the language menu instead of a guess.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.conf import settings

CONFIDENT = 0.9
# langid's labels -> the portal's language codes
_FROM_LANGID = {"zh": "zh-hans"}


def portal_languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages([code.split("-")[0] for code, _name in portal_languages()])
    return identifier


def detect(text: str) -> str | None:
    """The portal language code of `text`, or None when it cannot be told with confidence."""
    letters = re.sub(r"[\W\d_]+", "", text)
    if len(letters) < 8:  # "hola", "ok", "1": too little to tell
        return None
    label, probability = _identifier().classify(text)
    if probability < CONFIDENT:
        return None
    return _FROM_LANGID.get(label, label)


def from_menu(text: str) -> str | None:
    """The language picked from the numbered menu (1-13), or named in the reply ("Español")."""
    answer = text.strip().strip(".").casefold()
    languages = portal_languages()
    digits = "".join(str(int(c)) if c.isdigit() else c for c in answer)  # any script's digits
    if digits.isdigit() and 1 <= int(digits) <= len(languages):
        return languages[int(digits) - 1][0]
    for code, name in languages:
        if answer in (name.casefold(), code.casefold()):
            return code
    return None
