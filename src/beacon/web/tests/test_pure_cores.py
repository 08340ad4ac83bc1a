"""The pure cores must stay importable without Django: they are tested and reused on their own."""

import subprocess
import sys

import pytest

CORES = [
    "beacon.screening.engine",
    "beacon.intel.core",
    "beacon.insights.privacy",
    "beacon.insights.formats.ctdc",
    "beacon.web.csvsafe",
    "beacon.reference.htcds",
]


@pytest.mark.parametrize("module", CORES)
def test_core_imports_no_django(module):
    code = (
        f"import sys, {module}; "
        "sys.exit(1 if any(m == 'django' or m.startswith('django.') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, f"{module} imports Django: {result.stderr}"
