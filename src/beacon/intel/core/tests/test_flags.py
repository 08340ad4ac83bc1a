from pathlib import Path

import pytest
import yaml

from beacon.intel.core import default_rules, score_flags
from beacon.intel.core.extractors import extract_text
from beacon.intel.core.flags import FlagRulesError, anchors_of, fired_flags, load_rules
from beacon.intel.core.generator import CorpusGenerator
from beacon.intel.core.normalise import WORD_RE, fold

CS = " Discreet companionship, 200 roses."  # commercial-sex context for the gated flags

HITS = [
    ("lr_worker_fees", "en", "A registration fee of $80 is due before training.", "registration fee"),
    ("lr_worker_fees", "es", "Debe pagar una cuota de $100 para empezar.", "pagar una cuota"),
    ("lr_pay_deductions", "en", "Housing is provided and deducted from your pay.", "deducted"),
    ("lr_pay_deductions", "es", "El transporte se descuenta de su pago.", "se descuenta de su pago"),
    ("lr_visa_promise", "en", "We can arrange your work visa quickly.", "arrange your work visa"),
    ("lr_visa_promise", "es", "Te conseguimos los papeles.", "conseguimos los papeles"),
    ("lr_early_id_request", "en", "Send us a copy of your passport to apply.", "passport"),
    ("lr_early_id_request", "es", "Envíe su número de seguro social hoy.", "seguro social"),
    ("lr_unrealistic_pay", "en", "Easy money for packers, earn thousands.", "Easy money"),
    ("lr_unrealistic_pay", "es", "Dinero fácil en el almacén.", "Dinero fácil"),
    ("lr_no_experience", "en", "No experience needed for this role.", "No experience needed"),
    ("lr_no_experience", "es", "Trabajo sin experiencia.", "sin experiencia"),
    ("lr_urgency", "en", "Start immediately, urgently hiring.", "Start immediately"),
    ("lr_urgency", "es", "Empieza hoy, inicio inmediato.", "Empieza hoy"),
    ("lr_unidentifiable_employer", "en", "Contact us only on Telegram.", "Telegram"),
    ("lr_unidentifiable_employer", "es", "Información solo por WhatsApp.", "solo por WhatsApp"),
    ("lr_irregular_payment", "en", "Pay the fee with gift cards or bitcoin.", "gift cards"),
    ("lr_irregular_payment", "es", "Se paga con tarjetas de regalo.", "tarjetas de regalo"),
    ("lr_guaranteed_job", "en", "Guaranteed job for all applicants.", "Guaranteed job"),
    ("lr_guaranteed_job", "es", "Empleo garantizado para todos.", "Empleo garantizado"),
    ("lr_far_vague", "en", "Details will be given on arrival.", "on arrival"),
    ("lr_far_vague", "es", "Trabajo en otro estado, los detalles al llegar.", "otro estado"),
    ("lr_no_contract", "en", "No contract needed, cash daily.", "No contract needed"),
    ("lr_no_contract", "es", "Trabajamos sin contrato.", "sin contrato"),
    ("cs_youth_language", "en", "Sweet and young, new girl." + CS, "young"),
    ("cs_youth_language", "es", "Jovencita y sonriente." + CS, "Jovencita"),
    ("cs_new_in_town", "en", "New in town for a short stay." + CS, "New in town"),
    ("cs_new_in_town", "es", "Recién llegada, de visita." + CS, "Recién llegada"),
    ("cs_third_person", "en", "She is sweet and we have more." + CS, "She is"),
    ("cs_third_person", "es", "Tenemos chicas nuevas." + CS, "Tenemos chicas"),
    ("cs_ethnicity", "en", "Exotic Latina beauty." + CS, "Latina"),
    ("cs_ethnicity", "es", "Colombiana hermosa." + CS, "Colombiana"),
    ("cs_incall_only", "en", "Incall only, no outcalls.", "Incall only"),
    ("cs_incall_only", "es", "Solo en mi lugar.", "Solo en mi lugar"),
    ("cs_24_7", "en", "Available 24/7." + CS, "24/7"),
    ("cs_24_7", "es", "Disponible 24 horas." + CS, "24 horas"),
    ("cs_minor_signs", "en", "Still in high school." + CS, "high school"),
    ("cs_minor_signs", "es", "Es menor de edad." + CS, "menor de edad"),
]


def fired(text: str) -> dict[str, list[str]]:
    return {h.flag_id: [m.text for m in h.matches] for h in score_flags(text, extract_text(text))}


@pytest.mark.parametrize(("flag", "lang", "text", "words"), HITS, ids=[f"{f}-{lang}" for f, lang, *_ in HITS])
def test_flag_hits_and_reports_the_words(flag: str, lang: str, text: str, words: str) -> None:
    hits = fired(text)
    assert flag in hits, hits
    assert any(words.lower() in w.lower() for w in hits[flag]), hits[flag]


def test_every_post_flag_has_an_english_and_a_spanish_example() -> None:
    covered = {(f, lang) for f, lang, *_ in HITS}
    for flag in default_rules().post_flags:
        if any(p.flag >= 0 and default_rules().flags[p.flag].id == flag.id for p in default_rules().patterns):
            assert (flag.id, "en") in covered and (flag.id, "es") in covered, flag.id


BENIGN = [
    "Kowalski Bakery is hiring a line cook. Pay starts at $18/hr. Apply in person at 12 Main St, Joliet.",
    "Se vende bicicleta, poco usada. Pido $120. Llame al 312-555-0198.",
    "Our diner is open 24/7 and we have great benefits. High school diploma preferred.",
    "If you are forced to work and cannot leave, call the hotline 24 hours a day.",
    "Registered nurses wanted, $45/hr, hospital in Peoria. Two references required.",
    "Young professionals welcome to our fresh produce market. She is our manager.",
]


@pytest.mark.parametrize("text", BENIGN)
def test_benign_posts_fire_nothing(text: str) -> None:
    assert fired(text) == {}


def test_context_is_reported_for_gated_flags() -> None:
    [hit] = [h for h in score_flags("24/7" + CS, extract_text("24/7" + CS)) if h.flag_id == "cs_24_7"]
    assert {m.text.lower() for m in hit.context} >= {"discreet", "roses", "companionship"}


def test_signal_flags() -> None:
    hits = fired("Text eight one two 555 0198. She is 16 years old." + CS)
    assert hits["cs_obscured_phone"] == ["eight one two 555 0198"]
    assert hits["cs_minor_signs"] == ["16 years old"]
    hits = fired("Warehouse packers, $1,800 weekly, call 312-555-0198.")
    assert hits["lr_unrealistic_pay"] == ["Warehouse", "$1,800 weekly"]
    assert "lr_unrealistic_pay" not in fired("Warehouse packers, $18/hr, call 312-555-0198.")
    assert "lr_unrealistic_pay" not in fired("Software engineers, $95/hr.")


def test_out_of_area_phone() -> None:
    ex = extract_text("Visiting Houston, TX this week, call 312-555-0198." + CS)
    [hit] = [h for h in score_flags("", ex) if h.flag_id == "cs_out_of_area_phone"] or [None]
    assert hit is None  # no context words in the (empty) text passed
    text = "Houston, TX this week, call 312-555-0198." + CS
    assert fired(text)["cs_out_of_area_phone"] == ["312-555-0198"]
    assert "cs_out_of_area_phone" not in fired("Chicago, IL this week, call 312-555-0198." + CS)


def test_rule_file_follows_the_schema() -> None:
    rules = default_rules()
    intel = (Path(__file__).resolve().parents[5] / ".." / "shared" / "domain" / "intel.md").resolve()
    for flag in rules.flags:
        assert flag.family in ("labour-recruitment", "commercial-sex", "both")
        assert flag.source.startswith("intel.md"), flag.id
        assert flag.weight > 0 and flag.description
    ids = {f.id for f in rules.flags}
    assert {"lr_worker_fees", "cs_shared_phone", "cs_many_cities", "cs_minor_signs"} <= ids
    # EMSCAD relative risks from intel.md used as weights where they apply
    assert rules.flag("lr_early_id_request").weight == 3.69
    assert rules.flag("lr_unidentifiable_employer").weight == 3.67
    assert rules.flag("lr_unrealistic_pay").weight == 2.58
    if intel.exists():
        text = intel.read_text()
        for number in ("3.69", "3.67", "2.79", "2.58", "2.07"):
            assert number in text
    # all but a handful of patterns can be skipped by their first word
    assert len(rules.always) <= 6


def test_anchors() -> None:
    assert anchors_of("(?:solo|s[oó]lo) quedan") == [("solo", "solo quedan"), ("sólo", "sólo quedan")]
    assert anchors_of("24/7") is None
    assert ("incall", "incall only") in anchors_of("in-?calls? only")


def test_bad_rule_files_are_rejected(tmp_path: Path) -> None:
    good = {
        "id": "x",
        "family": "commercial-sex",
        "description": "d",
        "source": "intel.md",
        "patterns": {"en": ["a b"]},
    }
    cases = [
        {"flags": [{**good, "family": "other"}]},
        {"flags": [{**good, "patterns": {"fr": ["x"]}}]},
        {"flags": [{**good, "patterns": {"en": ["(unclosed"]}}]},
        {"flags": [good, good]},
        {"flags": [{**good, "requires_context": "nope"}]},
        {"flags": [{k: v for k, v in good.items() if k != "source"}]},
    ]
    for i, doc in enumerate(cases):
        path = tmp_path / f"bad{i}.yaml"
        path.write_text(yaml.safe_dump(doc))
        with pytest.raises(FlagRulesError):
            load_rules(path)
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump({"flags": [good]}))
    assert [f.id for f in load_rules(path).flags] == ["x"]


def test_context_words_are_reported_in_text_order() -> None:
    text = "Sensual and discreet, new in town. Upscale incalls, 200 roses. Discreet."
    [hit] = [h for h in score_flags(text, extract_text(text)) if h.flag_id == "cs_new_in_town"]
    spans = [m.span for m in hit.context]
    assert spans == sorted(spans) and len(spans) >= 5


def test_fired_flags_are_the_flags_score_flags_reports(tmp_path: Path) -> None:
    doc = yaml.safe_load((Path(__file__).parents[1] / "data" / "flags.yaml").read_text("utf-8"))
    extra = {"id": "x_loose", "family": "labour-recruitment", "description": "d", "source": "intel.md"}
    doc["flags"].append({**extra, "patterns": {"en": [r"pay\w* now", "24 ?hours? a day"]}})
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True))
    texts = [t for _, _, t, _ in HITS] + BENIGN
    texts += ["Payment now, 24 hours a day. " + CS, "Text eight one two 555 0198. She is 16 years old." + CS]
    texts += [f"{rec['title']}\n{rec['body']}" for rec, _ in CorpusGenerator(300, 9)]
    custom = load_rules(path)
    assert custom.loose  # "pay\w*" has no whole first word: it is tried wherever "pay" occurs
    for rules in (default_rules(), custom):
        for text in texts:
            low = fold(text)
            words = set(WORD_RE.findall(low))
            ex = extract_text(text)
            reported = [rules.flags.index(rules.flag(h.flag_id)) for h in score_flags(text, ex, rules=rules, low=low)]
            assert fired_flags(text, ex, rules=rules, low=low, words=words) == reported, text
