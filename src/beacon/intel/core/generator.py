"""Synthetic post corpus with ground truth, for evaluating the pipeline.

Organisations post variations of a few templates (word substitutions, reordering, dropped and
inserted sentences, rotating and obfuscated contacts, moving cities, changing dates); they are
mixed with independent organic posts (benign job ads, classifieds and single-poster ads) that share
boilerplate: a job board's footer with its support address, a hotline sentence with one phone
number, and common sentences. Everything is fictional; phone numbers use Illinois area codes with
random subscriber numbers that phonenumbers accepts as valid.

Output: JSON Lines, one post per line, and a sidecar `<out>.truth.jsonl` with, per post, the
organisation label (null for organic posts, which are singletons) and the flags each post was
generated to contain.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import phonenumbers

from .gazetteer import entries

AREA_CODES = ("312", "773", "872", "630", "708", "847", "217", "309", "618", "815")
SOURCES = ("classifieds-north", "jobboard-il", "listings-midwest", "community-board")
START = datetime(2024, 1, 1, tzinfo=UTC)
SPAN_DAYS = 365


# ----------------------------------------------------------------------------------------- phrase banks
# Phrase banks (flag phrases, grammars, names, organic-post fragments) are data: data/generator_phrases.json.
# Every generated post is drawn from them in file order, so a seed gives the same corpus byte for byte.
_BANKS = json.loads((Path(__file__).resolve().parent / "data" / "generator_phrases.json").read_text(encoding="utf-8"))
# Flag phrases per flag and language. Each phrase carries exactly that flag.
FLAG_PHRASES: dict[str, dict[str, list[str]]] = _BANKS["FLAG_PHRASES"]
ROLES = _BANKS["ROLES"]  # unskilled roles (the unrealistic-pay signal looks for these words)
SKILLED = _BANKS["SKILLED"]
# Neutral sentence grammars for organisation templates: each template draws its own sentences from
# these (fragment lists multiply into tens of thousands of sentences), so two organisations rarely
# share a sentence unless it is a flag phrase.
LR_GRAMMAR = _BANKS["LR_GRAMMAR"]
CS_GRAMMAR = _BANKS["CS_GRAMMAR"]
# Each organisation's own details (two fictional names it always uses), so its templates carry some
# text no other poster writes, as real ads carry a name, a place or a turn of phrase.
SIGNATURES = _BANKS["SIGNATURES"]
SEASONS = _BANKS["SEASONS"]
SEASONS_ES = _BANKS["SEASONS_ES"]
SITES = _BANKS["SITES"]
SITES_ES = _BANKS["SITES_ES"]
PLACES = _BANKS["PLACES"]
PLACES_ES = _BANKS["PLACES_ES"]
SYLLABLES = _BANKS["SYLLABLES"]
CS_TITLES = _BANKS["CS_TITLES"]
LR_TITLES = _BANKS["LR_TITLES"]
NAMES = _BANKS["NAMES"]
DAYS = _BANKS["DAYS"]
DAYS_ES = _BANKS["DAYS_ES"]
SYNONYMS = _BANKS["SYNONYMS"]
NOISE = _BANKS["NOISE"]
# organic vocabulary
BUSINESSES = _BANKS["BUSINESSES"]
ITEMS = _BANKS["ITEMS"]
ITEM_ADJ = _BANKS["ITEM_ADJ"]
STREETS = _BANKS["STREETS"]
ORGANIC_JOB = _BANKS["ORGANIC_JOB"]
ORGANIC_SALE = _BANKS["ORGANIC_SALE"]
ITEMS_ES = _BANKS["ITEMS_ES"]
ADJ_ES = _BANKS["ADJ_ES"]
SHIFTS = _BANKS["SHIFTS"]
SHIFTS_ES = _BANKS["SHIFTS_ES"]
JOB_BOARD_FOOTER = _BANKS["JOB_BOARD_FOOTER"]
HOTLINE = _BANKS["HOTLINE"]
COMMON = _BANKS["COMMON"]
# contacts
MAIL_DOMAINS = _BANKS["MAIL_DOMAINS"]
_ES_WORDS = _BANKS["_ES_WORDS"]
_EN_WORDS = _BANKS["_EN_WORDS"]
_EMOJI_SEP = _BANKS["_EMOJI_SEP"]


def pseudo_word(rng: random.Random, syllables: int | None = None) -> str:
    """A fictional proper noun (a business, street or person name that exists nowhere)."""
    n = syllables or rng.randint(2, 3)
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


def grammar_sentence(grammar: dict[str, list[list[str]]], key: str, rng: random.Random) -> str:
    parts = [rng.choice(options) for options in grammar[key]]
    sentence = " ".join(parts)
    return sentence if sentence.endswith(".") else sentence + "."


_KEYCAP = "\ufe0f\u20e3"


def random_phone(rng: random.Random) -> str:
    """A 10-digit Illinois-area-code number that phonenumbers accepts as valid."""
    while True:
        area = rng.choice(AREA_CODES)
        exchange = rng.randint(200, 999)
        if exchange % 100 == 11:  # N11 codes are not exchanges
            continue
        digits = f"{area}{exchange}{rng.randint(0, 9999):04d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(digits, "US")):
            return digits


def render_phone(d: str, style: str, rng: random.Random) -> str:
    a, b, c = d[:3], d[3:6], d[6:]
    if style == "plain":
        return rng.choice([f"{a}-{b}-{c}", f"({a}) {b}-{c}", f"{a}.{b}.{c}", f"{a} {b} {c}", d])
    if style == "words_en":
        return " ".join(_EN_WORDS[int(x)] for x in d)
    if style == "words_es":
        return " ".join(_ES_WORDS[int(x)] for x in d)
    if style == "mixed":
        words = _EN_WORDS if rng.random() < 0.5 else _ES_WORDS
        return "".join(words[int(x)] if i % 2 == 0 else x for i, x in enumerate(d))
    if style == "letters":
        swapped = d.replace("0", "O").replace("1", "l")
        if swapped == d:
            swapped = d[:3] + "-" + d[3:6] + "-" + d[6:]  # nothing to swap: fall back to dashes
            return swapped.replace("-", " - ")
        return f"{swapped[:3]}-{swapped[3:6]}-{swapped[6:]}"
    if style == "emoji":
        if rng.random() < 0.5:
            return "".join(x + _KEYCAP for x in d)
        sep = rng.choice(_EMOJI_SEP)
        return f"{a}{sep}{b}{sep}{c}"
    if style == "separators":
        return rng.choice([".".join(d), " ".join(d), f"{a}//{b}//{c}", "_".join(d), f"{a} * {b} * {c}"])
    if style == "fullwidth":
        return "".join(chr(0xFF10 + int(x)) for x in d)
    raise ValueError(style)


OBFUSCATION_STYLES = ("words_en", "words_es", "mixed", "letters", "emoji", "separators", "fullwidth")


def render_email(user: str, domain: str, obfuscate: bool, rng: random.Random) -> str:
    if not obfuscate:
        return f"{user}@{domain}"
    host, tld = domain.rsplit(".", 1)
    return rng.choice(
        [
            f"{user} at {host} dot {tld}",
            f"{user} [at] {host} [dot] {tld}",
            f"{user}(at){host}(dot){tld}",
            f"{user} arroba {host} punto {tld}",
        ]
    )


# ----------------------------------------------------------------------------------------- organisations
@dataclass(slots=True)
class Template:
    lang: str
    title: str
    sentences: list[tuple[str, tuple[str, ...]]]  # (text, flags carried)


@dataclass(slots=True)
class Org:
    label: str
    family: str  # labour / cs
    templates: list[Template]
    phones: list[str]
    obfuscation: float
    styles: list[str]
    email: str | None
    handle: str | None
    circuit: list[tuple[str, str]]  # (city, state)
    stay_days: float
    start_day: float
    unrealistic_pay: bool
    role: dict[str, str]
    name: str
    marks: dict[str, str]
    pay_hourly: int
    roses: int
    fee: int
    contact_line: dict[str, str] = field(default_factory=dict)


def _cities(rng: random.Random) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    il, other = [], []
    for es in entries().values():
        for e in es:
            if e.ambiguous:
                continue
            (il if e.state == "IL" else other).append((e.city, e.state))
    il.sort()
    other.sort()
    return il, other


def _fill(text: str, v: dict[str, str]) -> str:
    for k, val in v.items():
        text = text.replace("{" + k + "}", val)
    return text


def _pay_text(hourly: int, lang: str, rng: random.Random) -> str:
    style = rng.randrange(4)
    if lang == "en":
        return [f"${hourly}/hr", f"${hourly} an hour", f"${hourly * 40:,} weekly", f"{hourly * 40} a week"][style]
    return [f"${hourly} la hora", f"${hourly} por hora", f"${hourly * 40:,} por semana", f"{hourly * 40} a la semana"][
        style
    ]


class CorpusGenerator:
    """Deterministic, streaming generator of posts and their ground truth."""

    def __init__(self, n_posts: int, seed: int, org_share: float = 0.4, mean_org_size: float = 35.0):
        self.n = n_posts
        self.rng = random.Random(seed)
        self.il_cities, self.other_cities = _cities(self.rng)
        self.hotline = random_phone(self.rng)
        self.footer_phone = random_phone(self.rng)
        self.org_share = org_share
        n_orgs = max(1, round(n_posts * org_share / mean_org_size))
        self.orgs = [self._make_org(i) for i in range(n_orgs)]
        # heavy-tailed organisation sizes (lognormal weights, capped)
        w = [min(12.0, math.exp(self.rng.gauss(0, 0.9))) for _ in self.orgs]
        total = sum(w)
        self.cum = list(_accumulate([x / total for x in w]))
        self._i = 0

    # -- organisations
    def _make_org(self, i: int) -> Org:
        rng = self.rng
        family = "labour" if rng.random() < 0.55 else "cs"
        langs = rng.choice([["en"], ["en"], ["es"], ["en", "es"]])
        lr_flags = [f for f in FLAG_PHRASES if f.startswith("lr_")]
        cs_flags = [f for f in FLAG_PHRASES if f.startswith("cs_") and f != "cs_minor_signs"]
        unrealistic = False
        if family == "labour":
            flags = rng.sample(lr_flags, rng.randint(2, 5))
            unrealistic = rng.random() < 0.3
        else:
            flags = rng.sample(cs_flags, rng.randint(3, 6))
            if rng.random() < 0.05:
                flags.append("cs_minor_signs")
        role_i = rng.randrange(len(ROLES["en"]))
        role = {"en": ROLES["en"][role_i], "es": ROLES["es"][role_i]}
        name = rng.choice(NAMES)
        il, other = self.il_cities, self.other_cities
        n_cities = rng.randint(1, 3) if family == "labour" else rng.randint(2, 6)
        circuit = [rng.choice(il) if rng.random() < 0.7 else rng.choice(other) for _ in range(n_cities)]
        org = Org(
            label=f"org-{i:05d}",
            family=family,
            templates=[],
            phones=[random_phone(rng) for _ in range(rng.randint(1, 4))],
            obfuscation=rng.choice([0.0, 0.0, 0.3, 0.7]),
            styles=rng.sample(OBFUSCATION_STYLES, 2),
            email=(
                f"{pseudo_word(rng).lower()}{rng.randint(10, 999)}@{rng.choice(MAIL_DOMAINS)}"
                if rng.random() < 0.3
                else None
            ),
            handle=(f"{name.lower()}_{pseudo_word(rng).lower()}" if family == "cs" and rng.random() < 0.3 else None),
            circuit=circuit,
            stay_days=rng.uniform(3, 30),
            start_day=rng.uniform(0, SPAN_DAYS * 0.7),
            unrealistic_pay=unrealistic,
            role=role,
            name=name,
            marks={"mark1": pseudo_word(rng), "mark2": pseudo_word(rng)},
            pay_hourly=rng.randint(45, 90) if unrealistic else rng.randint(14, 24),
            roses=rng.choice([100, 120, 150, 160, 180, 200, 250]),
            fee=rng.choice([50, 75, 100, 150, 200, 300]),
        )
        for _ in range(rng.randint(1, 3)):
            lang = rng.choice(langs)
            org.templates.append(self._make_template(org, lang, flags))
        return org

    def _make_template(self, org: Org, lang: str, flags: list[str]) -> Template:
        rng = self.rng
        grammar = LR_GRAMMAR if org.family == "labour" else CS_GRAMMAR
        title = rng.choice((LR_TITLES if org.family == "labour" else CS_TITLES)[lang])
        v = self._slots(lang)
        sentences: list[tuple[str, tuple[str, ...]]] = []
        for key in (lang, lang + "2", lang + "3", lang, lang + "2"):
            if key == lang or rng.random() < 0.8:  # the first (role / companionship) sentence always
                sentences.append((_fill(grammar_sentence(grammar, key, rng), v), ()))
        if org.family == "labour":
            sentences.append(("Pay is {pay}." if lang == "en" else "El pago es {pay_es}.", ()))
        signature = rng.choice(SIGNATURES[org.family][lang])
        sentences.insert(rng.randrange(len(sentences) + 1), (_fill(signature, org.marks), ()))
        for f in flags:
            sentences.insert(rng.randrange(len(sentences) + 1), (rng.choice(FLAG_PHRASES[f][lang]), (f,)))
        return Template(lang=lang, title=title, sentences=sentences)

    def _slots(self, lang: str) -> dict[str, str]:
        rng = self.rng
        return {
            "season": rng.choice(SEASONS),
            "season_es": rng.choice(SEASONS_ES),
            "site": rng.choice(SITES),
            "site_es": rng.choice(SITES_ES),
            "weeks": str(rng.randint(2, 12)),
            "pseudo": pseudo_word(rng),
            "place": rng.choice(PLACES),
            "place_es": rng.choice(PLACES_ES),
            "day": rng.choice(DAYS),
        }

    def _org_post(self, org: Org, day: float) -> tuple[dict, list[str]]:
        rng = self.rng
        t = rng.choice(org.templates)
        lang = t.lang
        stop = int(max(0.0, day - org.start_day) / org.stay_days) % len(org.circuit)
        city, state = org.circuit[stop]
        hourly = org.pay_hourly + rng.randint(-2, 2)
        values = {
            "city": city,
            "role": org.role[lang],
            "Role": org.role[lang].capitalize(),
            "name": org.name,
            "pay": _pay_text(hourly, "en", rng),
            "pay_es": _pay_text(hourly, "es", rng),
            "roses": str(org.roses),
            "fee": str(org.fee),
        }
        sentences = list(t.sentences)
        # variation: drop a neutral sentence, swap neighbours, insert noise, substitute words
        if len(sentences) > 4 and rng.random() < 0.3:
            neutral = [i for i, (txt, f) in enumerate(sentences) if not f and "{pay" not in txt]
            if neutral:
                sentences.pop(rng.choice(neutral))
        for _ in range(rng.randint(0, 2)):
            if len(sentences) > 1:
                i = rng.randrange(len(sentences) - 1)
                sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
        if rng.random() < 0.4:
            sentences.insert(rng.randrange(len(sentences) + 1), (rng.choice(NOISE), ()))
        parts = []
        flags: set[str] = set()
        for text, fl in sentences:
            text = _fill(text, values)
            parts.append(text if fl else _substitute(text, rng, 0.12))  # flag phrases keep their words
            flags.update(fl)
        # contacts: a rotating pool, sometimes obfuscated
        phone = org.phones[int(day / 9 + rng.random() * 2) % len(org.phones)]
        obf = rng.random() < org.obfuscation
        style = rng.choice(org.styles) if obf else "plain"
        rendered = render_phone(phone, style, rng)
        if style != "plain":
            flags.add("cs_obscured_phone")
        if lang == "en":
            contact = rng.choice(["Call or text {p}.", "Text {p}.", "Contact: {p}", "Reach us at {p}."])
        else:
            contact = rng.choice(
                ["Llame o mande mensaje al {p}.", "Mensaje al {p}.", "Contacto: {p}", "Escriba al {p}."]
            )
        parts.append(contact.replace("{p}", rendered))
        if org.email and rng.random() < 0.5:
            parts.append(("Email: " if lang == "en" else "Correo: ") + render_email(*org.email.split("@"), obf, rng))
        if org.handle and rng.random() < 0.6:
            parts.append(f"{rng.choice(['snap', 'ig', 'telegram'])}: {org.handle}")
        if org.unrealistic_pay and org.family == "labour":
            flags.add("lr_unrealistic_pay")
        title = _substitute(_fill(t.title, values), rng, 0.12)
        rec = self._record(title, " ".join(parts), city, state, day)
        if org.family == "cs" and state != "IL" and (rec["location"] or city in rec["body"] or city in rec["title"]):
            flags.add("cs_out_of_area_phone")
        return rec, sorted(flags)

    # -- organic posts
    def _organic_post(self, day: float) -> tuple[dict, list[str]]:
        rng = self.rng
        lang = "en" if rng.random() < 0.75 else "es"
        city, state = rng.choice(self.il_cities) if rng.random() < 0.85 else rng.choice(self.other_cities)
        kind = rng.random()
        flags: set[str] = set()
        company = f"{pseudo_word(rng)} {rng.choice(BUSINESSES)}"
        values = {
            "company": company,
            "street": f"{pseudo_word(rng)} {rng.choice(STREETS)}",
            "num": str(rng.randint(100, 9999)),
            "city": city,
            "shift": rng.choice(SHIFTS),
            "shift_es": rng.choice(SHIFTS_ES),
            "lbs": str(rng.choice([25, 40, 50])),
            "year": str(rng.randint(1960, 2020)),
            "person": pseudo_word(rng, 2),
            "day": rng.choice(DAYS),
            "day_es": rng.choice(DAYS_ES),
            "item": rng.choice(ITEMS),
            "adj": rng.choice(ITEM_ADJ),
            "item_es": rng.choice(ITEMS_ES),
            "adj_es": rng.choice(ADJ_ES),
            "price_plain": f"${rng.randint(20, 900)}",
        }
        hourly = rng.randint(15, 38)
        values["pay"] = _pay_text(hourly, "en", rng)
        values["pay_es"] = _pay_text(hourly, "es", rng)
        if kind < 0.62:  # job ad
            skilled = rng.random() < 0.4
            values["role"] = rng.choice((SKILLED if skilled else ROLES)[lang])
            pool = ORGANIC_JOB[lang]
            sents = [pool[0] if rng.random() < 0.5 else pool[1], *rng.sample(pool[2:], rng.randint(3, 6))]
            title = f"{company} - {values['role']}"
            if rng.random() < 0.1:
                sents.append(rng.choice(FLAG_PHRASES["lr_urgency"][lang][:2]))
                flags.add("lr_urgency")
            if rng.random() < 0.1 and not skilled:
                sents.append(FLAG_PHRASES["lr_no_experience"][lang][rng.randrange(2)])
                flags.add("lr_no_experience")
            footer = rng.random() < 0.4
        elif kind < 0.92:  # item for sale
            pool = ORGANIC_SALE[lang]
            sents = [pool[0], *rng.sample(pool[1:], rng.randint(2, 5))]
            title = f"For sale: {values['item']}" if lang == "en" else f"Se vende {values['item_es']}"
            footer = False
        else:  # an independent companionship ad: flags, but one poster and no organisation
            cs_flags = [f for f in FLAG_PHRASES if f.startswith("cs_") and f != "cs_minor_signs"]
            values.update(self._slots(lang), name=rng.choice(NAMES), roses=str(rng.choice([100, 150, 200, 300])))
            sents = [_fill(grammar_sentence(CS_GRAMMAR, k, rng), values) for k in (lang, lang + "2", lang + "3")]
            for f in rng.sample(cs_flags, 2):
                sents.append(rng.choice(FLAG_PHRASES[f][lang]))
                flags.add(f)
            title = _fill(rng.choice(CS_TITLES[lang]), values)
            footer = False
        body = [_fill(x, values) for x in sents]
        rng.shuffle(body)
        # contact: the poster's own phone or e-mail, sometimes in a contact column
        rec_phone = None
        r = rng.random()
        if r < 0.75:
            p = render_phone(random_phone(rng), "plain", rng)
            if rng.random() < 0.3:
                rec_phone = p
            else:
                body.append(("Call " if lang == "en" else "Llame al ") + p + ".")
        elif r < 0.9:
            body.append(f"{values['person'].lower()}.{rng.randint(1000, 99999)}@example.com")
        # shared boilerplate
        if footer:
            body.append(JOB_BOARD_FOOTER[lang] + f" Board line: {render_phone(self.footer_phone, 'plain', rng)}.")
        if rng.random() < 0.15 and kind < 0.92:
            body.append(HOTLINE[lang].replace("{hotline}", render_phone(self.hotline, "plain", rng)))
        if rng.random() < 0.3:
            body.append(rng.choice(COMMON[lang]))
        rec = self._record(title, " ".join(body), city, state, day)
        if rec_phone:
            rec["phone"] = rec_phone
        placed = rec["location"] or city in rec["body"] or city in rec["title"]
        if kind >= 0.92 and r < 0.75 and state != "IL" and placed:
            flags.add("cs_out_of_area_phone")
        return rec, sorted(flags)

    def _record(self, title: str, body: str, city: str, state: str, day: float) -> dict:
        self._i += 1
        source = SOURCES[self._i % len(SOURCES)]
        pid = f"p{self._i:09d}"
        posted = START + timedelta(days=day)
        location = f"{city}, {state}" if self.rng.random() < 0.9 else ""
        return {
            "id": pid,
            "source": source,
            "url": f"https://{source}.example/post/{pid}",
            "posted_at": posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "title": title,
            "body": body,
            "location": location,
        }

    def __iter__(self) -> Iterator[tuple[dict, dict]]:
        self._i = 0
        rng = self.rng
        for k in range(self.n):
            day = SPAN_DAYS * (k + rng.random()) / self.n
            if rng.random() < self.org_share:
                org = self.orgs[_bisect(self.cum, rng.random())]
                rec, flags = self._org_post(org, day)
                label = org.label
            else:
                rec, flags = self._organic_post(day)
                label = None
            yield rec, {"id": rec["id"], "source": rec["source"], "org": label, "flags": flags}


def _accumulate(xs: list[float]) -> Iterator[float]:
    total = 0.0
    for x in xs:
        total += x
        yield total


def _bisect(cum: list[float], x: float) -> int:
    lo, hi = 0, len(cum) - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if cum[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _substitute(text: str, rng: random.Random, rate: float) -> str:
    words = text.split(" ")
    for i, w in enumerate(words):
        key = w.lower().strip(".,!")
        if key in SYNONYMS and rng.random() < rate * 3:
            repl = rng.choice(SYNONYMS[key])
            words[i] = w.lower().replace(key, repl) if w[:1].islower() else w.replace(w.strip(".,!"), repl.capitalize())
    return " ".join(words)


@dataclass(slots=True, frozen=True)
class CorpusInfo:
    path: Path
    truth_path: Path
    n_posts: int
    n_orgs: int


def truth_path_for(out_path: str | Path) -> Path:
    p = Path(out_path)
    return p.with_name(p.name + ".truth.jsonl")


def generate_corpus(n_posts: int, seed: int, out_path: str | Path) -> CorpusInfo:
    """Write `n_posts` posts to `out_path` (JSON Lines) and their ground truth beside it."""
    out = Path(out_path)
    truth = truth_path_for(out)
    gen = CorpusGenerator(n_posts, seed)
    used: set[str] = set()
    with out.open("w", encoding="utf-8") as fp, truth.open("w", encoding="utf-8") as ft:
        for rec, t in gen:
            fp.write(json.dumps(rec, ensure_ascii=False) + "\n")
            ft.write(json.dumps(t, ensure_ascii=False) + "\n")
            if t["org"]:
                used.add(t["org"])
    return CorpusInfo(out, truth, n_posts, len(used))


def read_truth(path: str | Path) -> Iterator[dict]:
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            yield json.loads(line)
