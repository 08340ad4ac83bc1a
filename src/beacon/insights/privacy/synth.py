"""Differentially private synthetic microdata with Microsoft's synthetic-data-showcase (``pac-synth``).

The DP Aggregate Seeded synthesizer adds noise to the counts of every combination of up to
``reporting_length`` attribute values and samples records that reproduce those noisy counts; the
defaults (reporting length 3, epsilon 4.0) are the ones privacy.md names. Delta is left to the
library unless given (it sets ``1 / (ln(n) * n)`` for the protected record count ``n``).

Rows are dicts of categorical strings in the CTDC v2024 layout (``formats.ctdc.CTDC_VARIABLES``):
an empty string is "missing / no", which the showcase, like CTDC, does not count as a value.

Every release carries the error of the synthetic data on its 1-, 2- and 3-way marginals,
computed here against the sensitive counts. That report is an aggregate of the sensitive data
that is not itself noised: it is for the person approving the release, and published only as the
few averages it holds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

from pacsynth import Dataset, DpAggregateSeededParametersBuilder, DpAggregateSeededSynthesizer

from beacon.insights.formats.ctdc import CTDC_VARIABLES

DEFAULT_REPORTING_LENGTH = 3
DEFAULT_EPSILON = 4.0
_DELIMITER = "\x1f"  # joins "column:value" pairs in pac-synth aggregate keys; never in CTDC values


@dataclass(frozen=True)
class MarginalError:
    length: int  # how many attributes are combined (1, 2 or 3)
    combinations: int  # distinct value combinations compared (in either data set)
    mean_absolute_error: float  # mean |synthetic - sensitive| count over those combinations
    mean_relative_error: float  # mean |synthetic - sensitive| / sensitive over sensitive combinations
    fabricated: int  # combinations only in the synthetic data
    lost: int  # combinations only in the sensitive data


@dataclass(frozen=True)
class SynthesisResult:
    columns: tuple[str, ...]
    rows: list[dict[str, str]]
    parameters: dict[str, object]  # as pac-synth reports them, for the release record
    dp_number_of_records: int  # the sensitive record count, protected by DP
    marginal_errors: dict[int, MarginalError]

    def report(self) -> dict[str, object]:
        """What to publish next to the synthetic rows."""
        return {
            "method": "synthetic-data-showcase DpAggregateSeededSynthesizer (pac-synth)",
            "parameters": self.parameters,
            "synthetic_records": len(self.rows),
            "dp_number_of_records": self.dp_number_of_records,
            "marginal_errors": {str(k): asdict(v) for k, v in sorted(self.marginal_errors.items())},
        }


class SynthesisFailed(ValueError):
    """The synthesizer could not produce data (too few records for the privacy noise)."""


def synthesize(
    rows: Iterable[Mapping[str, str]],
    *,
    columns: Sequence[str] = CTDC_VARIABLES,
    reporting_length: int = DEFAULT_REPORTING_LENGTH,
    epsilon: float = DEFAULT_EPSILON,
    delta: float | None = None,
    target_records: int | None = None,
) -> SynthesisResult:
    """Fit on the sensitive ``rows`` and sample synthetic rows with the same ``columns``."""
    sensitive = _raw(rows, columns)
    if len(sensitive) < 2:
        raise ValueError("synthesis needs at least two records")
    builder = DpAggregateSeededParametersBuilder().reporting_length(reporting_length).epsilon(epsilon)
    if delta is not None:
        builder = builder.delta(delta)
    synthesizer = DpAggregateSeededSynthesizer(builder.build())
    try:
        synthesizer.fit(Dataset([list(columns), *sensitive]))
        sampled = synthesizer.sample(target_records) if target_records else synthesizer.sample()
    except BaseException as exc:  # pac-synth reports noise failures as a Rust panic (a BaseException)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise SynthesisFailed(
            "The noise added for privacy overwhelmed this small data set; widen the period or the region "
            f"and try again ({len(sensitive)} records)."
        ) from None
    header, body = sampled[0], sampled[1:]
    position = {name: i for i, name in enumerate(header)}
    synthetic = [[record[position[c]] if c in position else "" for c in columns] for record in body]
    return SynthesisResult(
        columns=tuple(columns),
        rows=[dict(zip(columns, record, strict=True)) for record in synthetic],
        parameters=json.loads(synthesizer.parameters.to_json_str()),
        dp_number_of_records=synthesizer.get_dp_number_of_records(),
        marginal_errors=marginal_errors(sensitive, synthetic, columns, reporting_length),
    )


def marginal_errors(
    sensitive: Sequence[Sequence[str]],
    synthetic: Sequence[Sequence[str]],
    columns: Sequence[str],
    reporting_length: int = DEFAULT_REPORTING_LENGTH,
) -> dict[int, MarginalError]:
    """Compare the counts of every k-way combination of non-empty values, k = 1..reporting_length."""
    real = _aggregates(sensitive, columns, reporting_length)
    fake = _aggregates(synthetic, columns, reporting_length)
    out = {}
    for k in range(1, reporting_length + 1):
        real_k = {c: n for c, n in real.items() if c.count(_DELIMITER) == k - 1}
        fake_k = {c: n for c, n in fake.items() if c.count(_DELIMITER) == k - 1}
        keys = real_k.keys() | fake_k.keys()
        errors = [abs(fake_k.get(c, 0) - real_k.get(c, 0)) for c in keys]
        relative = [abs(fake_k.get(c, 0) - n) / n for c, n in real_k.items()]
        out[k] = MarginalError(
            length=k,
            combinations=len(keys),
            mean_absolute_error=sum(errors) / len(errors) if errors else 0.0,
            mean_relative_error=sum(relative) / len(relative) if relative else 0.0,
            fabricated=len(fake_k.keys() - real_k.keys()),
            lost=len(real_k.keys() - fake_k.keys()),
        )
    return out


def _raw(rows: Iterable[Mapping[str, str]], columns: Sequence[str]) -> list[list[str]]:
    known = set(columns)
    out = []
    for n, row in enumerate(rows):
        extra = set(row) - known
        if extra:
            raise ValueError(f"row {n}: unknown columns {sorted(extra)}")
        values = [row.get(c) or "" for c in columns]
        if not all(isinstance(v, str) for v in values):
            raise ValueError(f"row {n}: values must be strings")
        if any(_DELIMITER in v for v in values):
            raise ValueError(f"row {n}: values must not contain control characters")
        out.append(values)
    return out


def _aggregates(records: Sequence[Sequence[str]], columns: Sequence[str], length: int) -> dict[str, int]:
    if not records:
        return {}
    return Dataset([list(columns), *[list(r) for r in records]]).get_aggregates(length, _DELIMITER)
