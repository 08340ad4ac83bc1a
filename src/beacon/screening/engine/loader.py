"""Loading an instrument file: schema check, then the cross-reference checks a schema cannot make."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from beacon.screening.engine import expressions, schema
from beacon.screening.engine.errors import InstrumentError
from beacon.screening.engine.model import (
    NO_STANDARD,
    POPULATIONS,
    US_FEDERAL,
    Determination,
    Finding,
    Group,
    Instrument,
    Item,
    LegalStandard,
    Note,
    Pattern,
    Population,
    Reference,
    Rule,
    Source,
    Strength,
)
from beacon.screening.engine.plan import compile_plan

PathPart = schema.PathPart


def load_instrument(path: str | Path) -> Instrument:
    """Load and check one instrument file; raise InstrumentError naming the file, line and reason."""
    file = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InstrumentError(file, "the file is not UTF-8 text") from None
    except OSError as exc:
        raise InstrumentError(file, f"cannot read the file ({exc.strerror or exc})") from None
    return load_instrument_text(text, file)


def load_instrument_text(text: str, file: str = "<instrument>") -> Instrument:
    document = schema.parse(text, file)
    schema.validate(document)
    return _Builder(document).build()


def _expr_refs(raw: Any, path: tuple[PathPart, ...]) -> Iterator[tuple[str, tuple[PathPart, ...]]]:
    """Every ID named in a raw expression, with the path to where it is written."""
    if isinstance(raw, str):
        yield raw, path
        return
    for key in ("all", "any", "of"):
        if key in raw:
            for n, part in enumerate(raw[key]):
                yield from _expr_refs(part, (*path, key, n))
    if "possible" in raw:
        yield from _expr_refs(raw["possible"], (*path, "possible"))


class _Builder:
    def __init__(self, document: schema.Document) -> None:
        self.document = document
        self.data: dict[str, Any] = document.data
        self.names: dict[str, str] = {}  # items, groups and findings share one namespace
        self.rule_exprs: list[tuple[Any, tuple[PathPart, ...]]] = []

    def fail(self, reason: str, path: Sequence[PathPart] = (), *, key: bool = False) -> InstrumentError:
        return self.document.error(reason, path, key=key)

    def claim(self, name: str, kind: str, path: Sequence[PathPart]) -> None:
        if name in self.names:
            raise self.fail(f"the ID {name!r} is used twice (already a {self.names[name]})", path)
        self.names[name] = kind

    def unique(self, *sections: tuple[str, ...]) -> None:
        """IDs must not repeat within the given sections, nor across them."""
        seen: set[str] = set()
        for section in sections:
            entries: Any = self.data
            for key in section:
                entries = entries.get(key, {})
            for n, entry in enumerate(entries or ()):
                if entry["id"] in seen:
                    raise self.fail(f"duplicate ID {entry['id']!r}", (*section, n, "id"))
                seen.add(entry["id"])

    def build(self) -> Instrument:
        data = self.data
        rules = data["rules"]
        languages = tuple(data["languages"])
        populations = self._populations()
        strengths = tuple(Strength(s["id"], s["label"]) for s in data.get("strengths", ()))
        self.unique(("strengths",))
        strength_ids = {s.id for s in strengths}
        group_key = "dimensions" if "dimensions" in data else ("elements" if "elements" in data else None)
        raw_groups: list[dict[str, Any]] = data.get(group_key, []) if group_key else []
        patterns = self._patterns(rules.get("patterns", ()), strength_ids)

        for n, raw in enumerate(raw_groups):
            self.claim(raw["id"], "dimension or element", (group_key, n, "id"))
        items = self._items(populations, strength_ids, {g["id"] for g in raw_groups}, languages)
        groups = self._groups(raw_groups, group_key, patterns, bool(strengths))
        findings = self._findings(rules.get("findings", ()), populations)
        determinations = self._determinations(rules["determinations"])
        notes = tuple(
            Note(raw["text"], self._expr(raw.get("when"), ("rules", "notes", n, "when")))
            for n, raw in enumerate(rules.get("notes", ()))
        )
        definitions = self._references("definitions")
        statutes = self._references("statutes")
        self.unique(("definitions",), ("statutes",))
        self._check_names()
        self._check_populations(populations, items)
        self._check_floors(populations, determinations)
        legal_standard = self._legal_standard(findings)
        minor_items = tuple((data.get("context_items") or {}).get("minor", ()))
        for n, name in enumerate(minor_items):
            if name not in {item.id for item in items}:
                raise self.fail(f"{name!r} is not an item", ("context_items", "minor", n))

        scored = any("weight" in raw for raw in data["items"])
        if scored:
            for n, raw in enumerate(data["items"]):
                if "weight" not in raw:
                    raise self.fail("every item needs a weight when any item has one", ("items", n))
        for raw, path in self.rule_exprs:
            if expressions.uses_score(expressions.parse(raw)) and not scored:
                raise self.fail("score_at_least needs items with weights", path)

        table = [(d.id, d.rank, d.when) for d in determinations]
        violation = expressions.monotonicity_violation(table)
        if violation:
            raise self.fail(violation, ("rules", "determinations"))

        source = data["source"]
        instrument = Instrument(
            id=data["id"],
            version=data["version"],
            title=data["title"],
            source=Source(source["citation"], source.get("note"), source.get("url")),
            languages=languages,
            populations=populations,
            strengths=strengths,
            items=items,
            group_key=group_key,
            groups=groups,
            patterns=patterns,
            findings=findings,
            determinations=determinations,
            notes=notes,
            definitions=definitions,
            statutes=statutes,
            unconfirmed=data.get("unconfirmed"),
            path=self.document.file,
            items_by_id={item.id: item for item in items},
            plans={},
            scored=scored,
            legal_standard=legal_standard,
            minor_items=minor_items,
        )
        try:
            plans = {population: compile_plan(instrument, population) for population in populations}
        except ValueError as exc:
            raise self.fail(str(exc), ("rules",)) from None
        return dataclasses.replace(instrument, plans=plans)

    def _populations(self) -> dict[str, Population]:
        raw_populations = self.data["populations"]
        self.unique(("populations",))
        return {
            raw["id"]: Population(
                raw["id"],
                raw["label"],
                raw.get("unconfirmed"),
                tuple(raw.get("implies_yes", ())),
                tuple(raw.get("route", ())),
                (raw.get("floor") or {}).get("determination"),
                (raw.get("floor") or {}).get("reason"),
            )
            for raw in raw_populations
        }

    def _check_floors(self, populations: Mapping[str, Population], determinations: tuple[Determination, ...]) -> None:
        ids = {d.id for d in determinations}
        for n, population in enumerate(populations.values()):
            if population.floor is not None and population.floor not in ids:
                raise self.fail(
                    f"floor names {population.floor!r}, which is not a determination",
                    ("populations", n, "floor", "determination"),
                )

    def _legal_standard(self, findings: tuple[Finding, ...]) -> LegalStandard:
        raw = self.data.get("legal_standard")
        if raw is None:
            return NO_STANDARD
        severe_form = tuple(raw.get("severe_form", ()))
        if severe_form and raw["id"] != US_FEDERAL:
            raise self.fail(
                "only the us-federal standard (22 U.S.C. 7102(11)) decides a severe form of trafficking",
                ("legal_standard", "severe_form"),
            )
        finding_ids = {finding.id for finding in findings}
        for n, name in enumerate(severe_form):
            if name not in finding_ids:
                raise self.fail(f"{name!r} is not a finding", ("legal_standard", "severe_form", n))
        return LegalStandard(raw["id"], raw["label"], severe_form)

    def _patterns(self, raw_patterns: Sequence[dict[str, Any]], strength_ids: set[str]) -> dict[str, Pattern]:
        self.unique(("rules", "patterns"))
        patterns: dict[str, Pattern] = {}
        for n, raw in enumerate(raw_patterns):
            alternatives = []
            for a, alternative in enumerate(raw["alternatives"]):
                used: set[str] = set()
                clauses = []
                for c, clause in enumerate(alternative):
                    path = ("rules", "patterns", n, "alternatives", a, c, "strengths")
                    for strength in clause["strengths"]:
                        if strength not in strength_ids:
                            raise self.fail(f"strength {strength!r} is not declared under strengths", path)
                        if strength in used:
                            raise self.fail(f"strength {strength!r} is counted twice in one alternative", path)
                        used.add(strength)
                    clauses.append((tuple(clause["strengths"]), int(clause["min"])))
                alternatives.append(tuple(clauses))
            patterns[raw["id"]] = Pattern(
                raw["id"], tuple(alternatives), raw.get("description"), raw.get("unconfirmed")
            )
        return patterns

    def _items(
        self,
        populations: Mapping[str, Population],
        strength_ids: set[str],
        group_ids: set[str],
        languages: tuple[str, ...],
    ) -> tuple[Item, ...]:
        items = []
        for n, raw in enumerate(self.data["items"]):
            path: tuple[PathPart, ...] = ("items", n)
            self.claim(raw["id"], "item", (*path, "id"))
            if strength_ids:
                if "strength" not in raw:
                    raise self.fail("each item needs a strength per population (strengths are declared)", path)
                if "populations" in raw:
                    raise self.fail("give either strength or populations, not both", (*path, "populations"))
                for population, strength in raw["strength"].items():
                    if population not in populations:
                        raise self.fail(
                            f"population {population!r} is not declared by this instrument",
                            (*path, "strength", population),
                            key=True,
                        )
                    if strength not in strength_ids:
                        raise self.fail(
                            f"strength {strength!r} is not declared under strengths "
                            f"({', '.join(sorted(strength_ids))})",
                            (*path, "strength", population),
                        )
                item_populations = frozenset(raw["strength"])
            else:
                if "strength" in raw:
                    raise self.fail("strength needs strengths declared at the top of the file", (*path, "strength"))
                item_populations = frozenset(raw.get("populations", populations))
                undeclared = sorted(item_populations - set(populations))
                if undeclared:
                    raise self.fail(
                        f"population {undeclared[0]!r} is not declared by this instrument",
                        (*path, "populations"),
                    )
            dimension = raw.get("dimension")
            if dimension is not None and dimension not in group_ids:
                raise self.fail(f"dimension {dimension!r} is not declared", (*path, "dimension"))
            for field in ("text", "question"):
                missing = [language for language in languages if language not in raw[field]]
                if missing:
                    raise self.fail(f"no {field} in {', '.join(missing)} (listed under languages)", (*path, field))
            unconfirmed = raw.get("unconfirmed") or {}
            if set(unconfirmed) <= set(POPULATIONS):  # one note per population
                notes = dict(unconfirmed)
                for population in notes:
                    if population not in item_populations:
                        raise self.fail(
                            f"the item is not on the {population!r} list",
                            (*path, "unconfirmed", population),
                            key=True,
                        )
            else:  # one note (a text in several languages) for every population of the item
                notes = dict.fromkeys(sorted(item_populations), unconfirmed)
            items.append(
                Item(
                    id=raw["id"],
                    text=raw["text"],
                    question=raw["question"],
                    help=raw["help"],
                    populations=item_populations,
                    dimension=dimension,
                    strengths=dict(raw.get("strength", {})),
                    weight=int(raw.get("weight", 0)),
                    unconfirmed=notes,
                    maps_to=tuple(raw.get("maps_to", ())),
                )
            )
        return tuple(items)

    def _groups(
        self,
        raw_groups: Sequence[dict[str, Any]],
        group_key: str | None,
        patterns: Mapping[str, Pattern],
        has_strengths: bool,
    ) -> tuple[Group, ...]:
        groups = []
        for n, raw in enumerate(raw_groups):
            path: tuple[PathPart, ...] = (group_key or "", n)
            pattern = raw.get("pattern")
            if pattern is not None:
                if pattern not in patterns:
                    raise self.fail(f"pattern {pattern!r} is not declared under rules.patterns", (*path, "pattern"))
                if not has_strengths:
                    raise self.fail("a pattern needs strengths declared", (*path, "pattern"))
            groups.append(
                Group(
                    raw["id"],
                    raw["label"],
                    pattern,
                    self._expr(raw.get("when"), (*path, "when")),
                    raw.get("route"),
                    raw.get("unconfirmed"),
                )
            )
        return tuple(groups)

    def _findings(
        self, raw_findings: Sequence[dict[str, Any]], populations: Mapping[str, Population]
    ) -> tuple[Finding, ...]:
        findings = []
        for n, raw in enumerate(raw_findings):
            path: tuple[PathPart, ...] = ("rules", "findings", n)
            self.claim(raw["id"], "finding", (*path, "id"))
            default = Rule(self._expr(raw["when"], (*path, "when")), raw.get("description"), raw.get("unconfirmed"))
            rules = dict.fromkeys(populations, default)
            for population, override in raw.get("by_population", {}).items():
                if population not in populations:
                    raise self.fail(
                        f"population {population!r} is not declared by this instrument",
                        (*path, "by_population", population),
                        key=True,
                    )
                when = self._expr(override["when"], (*path, "by_population", population, "when"))
                rules[population] = Rule(
                    when, override.get("description", default.description), override.get("unconfirmed")
                )
            findings.append(Finding(raw["id"], raw["label"], rules, raw.get("route")))
        return tuple(findings)

    def _determinations(self, raw_determinations: Sequence[dict[str, Any]]) -> tuple[Determination, ...]:
        self.unique(("rules", "determinations"))
        last = len(raw_determinations) - 1
        determinations = []
        for n, raw in enumerate(raw_determinations):
            path: tuple[PathPart, ...] = ("rules", "determinations", n)
            if n < last and "when" not in raw:
                raise self.fail("only the last determination may have no condition (when)", path)
            if n == last and "when" in raw:
                raise self.fail("the last determination is the default and takes no condition", (*path, "when"))
            determinations.append(
                Determination(
                    raw["id"],
                    raw["label"],
                    int(raw["rank"]),
                    raw["explanation"],
                    self._expr(raw.get("when"), (*path, "when")),
                    tuple(raw.get("route", ())),
                )
            )
        return tuple(determinations)

    def _references(self, section: str) -> tuple[Reference, ...]:
        return tuple(
            Reference(
                raw["id"],
                raw["citation"],
                raw["title"],
                self._expr(raw["when"], (section, n, "when")),
                raw.get("jurisdiction"),
                raw.get("kind"),
                raw.get("unconfirmed"),
            )
            for n, raw in enumerate(self.data.get(section, ()))
        )

    def _expr(self, raw: Any, path: tuple[PathPart, ...]) -> Any:
        if raw is None:
            return None
        self.rule_exprs.append((raw, path))
        return expressions.parse(raw)

    def _check_names(self) -> None:
        for raw, path in self.rule_exprs:
            for name, where in _expr_refs(raw, path):
                if name not in self.names:
                    raise self.fail(
                        f"the rule names {name!r}, which is not an item, dimension, element or finding", where
                    )

    def _check_populations(self, populations: Mapping[str, Population], items: tuple[Item, ...]) -> None:
        for n, population in enumerate(populations.values()):
            on_list = {item.id for item in items if population.id in item.populations}
            if not on_list:
                raise self.fail(f"no item is on the {population.id!r} list", ("populations", n))
            for implied in population.implies_yes:
                if implied not in on_list:
                    raise self.fail(
                        f"implies_yes names {implied!r}, which is not an item of this population",
                        ("populations", n, "implies_yes"),
                    )
