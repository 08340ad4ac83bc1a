"""Log filter that keeps identifying request data out of every log line."""

from __future__ import annotations

import logging
import re

_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
# Three or more groups, so clock times such as 07:33:12 are left alone; also compressed forms (::1).
_IPV6 = re.compile(
    r"\b(?:[0-9a-fA-F]{1,4}:){3,7}[0-9a-fA-F]{1,4}\b"  # full form
    r"|(?<![\w:])[0-9a-fA-F:]*::[0-9a-fA-F:]*[0-9a-fA-F]\b"  # compressed form
)


class StripIdentifyingDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # Error reports attach the request (with headers and address): drop it.
        if hasattr(record, "request"):
            record.request = None
        message = record.getMessage()
        cleaned = _IPV6.sub("[address removed]", _IPV4.sub("[address removed]", message))
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
