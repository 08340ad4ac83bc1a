import logging

from beacon.web.logging import StripIdentifyingDataFilter


def _filtered(message: str, *args: object) -> str:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, message, args, None)
    record.request = object()
    StripIdentifyingDataFilter().filter(record)
    assert record.request is None
    return record.getMessage()


def test_addresses_are_masked_but_times_are_kept():
    assert "203.0.113.9" not in _filtered("client %s", "203.0.113.9")
    assert "2001:db8::1" not in _filtered("client 2001:db8::1 said hi")
    assert "2001:0db8:85a3:0000:0000:8a2e:0370:7334" not in _filtered("from 2001:0db8:85a3:0000:0000:8a2e:0370:7334")
    assert "::1" not in _filtered("loopback ::1 connected")
    assert _filtered("older than 2026-11-28 07:33:12.964635") == "older than 2026-11-28 07:33:12.964635"
