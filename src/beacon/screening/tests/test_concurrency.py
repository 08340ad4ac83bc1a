"""Two saves at once (two tabs, an autosave and a click) never drop each other's answers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from beacon.screening import services
from beacon.screening.models import Screening

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]


def test_concurrent_answer_saves_are_merged(staff, case):
    screening = services.start_screening(staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour")
    items = [item.id for item in services.load("ilo-2009", "adult-labour").plan("adult-labour").items[:20]]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def worker(mine: list[str]) -> None:
        try:
            barrier.wait()
            for item in mine:
                services.save_answers(staff["cw"], Screening.objects.get(pk=screening.pk), {item: "yes"})
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(items[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    screening.refresh_from_db()
    assert screening.answers == dict.fromkeys(items, "yes")
    assert screening.version == 1 + len(items)


def test_concurrent_starts_with_one_request_key_make_one_screening(staff, case):
    barrier = threading.Barrier(2)
    made: list[int] = []

    def worker() -> None:
        try:
            barrier.wait()
            made.append(
                services.start_screening(
                    staff["cw"], case=case, instrument_id="ilo-2009", population="adult-labour", request_key="same"
                ).pk
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(made) == 2 and made[0] == made[1]
    assert Screening.objects.count() == 1
    assert connection.vendor == "postgresql"
