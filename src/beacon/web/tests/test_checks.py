from django.core.checks import run_checks
from django.test import override_settings

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}}


def _ids(**kwargs: object) -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True, **kwargs)}


@override_settings(CACHES=LOCMEM)
def test_a_process_local_cache_is_flagged_for_deployment():
    assert "beacon.W001" in _ids()
    assert "beacon.W001" not in {m.id for m in run_checks()}  # only with --deploy


@override_settings(CACHES=REDIS)
def test_a_shared_cache_passes():
    assert "beacon.W001" not in _ids()
