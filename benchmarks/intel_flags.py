"""Per-flag precision and recall on the hand-written flag test set (benchmarks/data/flag_sentences.tsv).

    python benchmarks/intel_flags.py [--no-typos]

Each sentence is scored as a post body (extraction included, so signal flags such as unrealistic
pay fire as in the pipeline). A flag fired on a sentence that does not list it counts against its
precision; a listed flag that does not fire counts against its recall. --no-typos switches the
typo and spacing tolerance off, to show what it adds. Prints a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DATA = ROOT / "benchmarks" / "data" / "flag_sentences.tsv"


def load(path: Path = DATA) -> list[tuple[str, set[str], str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, flags, text = line.split("\t")
        rows.append((lang, set() if flags == "-" else set(flags.split()), text))
    return rows


def score(rows: list[tuple[str, set[str], str]]) -> tuple[dict[str, Counter], list[str]]:
    from beacon.intel import core

    per: dict[str, Counter] = {}
    misses: list[str] = []
    for lang, expected, text in rows:
        post = core.Post(id="s", source="set", body=text)
        fired = {h.flag_id for h in core.score_flags(text, core.extract(post))}
        for f in expected | fired:
            c = per.setdefault(f, Counter())
            if f in expected and f in fired:
                c["tp"] += 1
            elif f in fired:
                c["fp"] += 1
                misses.append(f"FP {f} [{lang}] {text}")
            else:
                c["fn"] += 1
                misses.append(f"FN {f} [{lang}] {text}")
    return per, misses


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-typos", action="store_true")
    parser.add_argument("--misses", action="store_true", help="list every false positive and negative")
    args = parser.parse_args()
    if args.no_typos:
        from beacon.intel.core import flags

        flags.correct = lambda *a, **k: None  # type: ignore[assignment]
    rows = load()
    langs = Counter(lang for lang, _, _ in rows)
    negatives = sum(1 for _, e, _ in rows if not e)
    per, misses = score(rows)
    print(f"{len(rows)} sentences ({langs['en']} EN, {langs['es']} ES; {negatives} without any flag)\n")
    print("| flag | TP | FP | FN | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    total = Counter()
    for f in sorted(per):
        c = per[f]
        total.update(c)
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else float("nan")
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        print(f"| {f} | {c['tp']} | {c['fp']} | {c['fn']} | {p:.2f} | {r:.2f} |")
    p = total["tp"] / (total["tp"] + total["fp"])
    r = total["tp"] / (total["tp"] + total["fn"])
    print(f"| **all** | {total['tp']} | {total['fp']} | {total['fn']} | {p:.3f} | {r:.3f} |")
    if args.misses:
        print()
        print("\n".join(misses))


if __name__ == "__main__":
    main()
