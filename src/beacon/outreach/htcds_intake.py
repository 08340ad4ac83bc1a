"""Reading one submission of the HTCDS survey (`htcds_xlsform`, the form IOM's HTCDS toolkit ships
for KoboToolbox and ODK Collect) into what a tip holds.

Pure: no database. Accepts the JSON a KoboToolbox REST service posts (flat keys, groups as
`group/field`, select-multiple answers separated by spaces), ODK Central's JSON (groups as nested
objects, `__id`) and the rows of an exported CSV file. The form's questions are text inputs, so a
picklist answer may be a HTCDS code or its label: both are read, anything else is kept as text
and reported. Problems that would make the record wrong (a date that is not a date, a refusal of
consent, no submission UUID) are errors and nothing is stored; the rest are warnings stored with
the submission (field names only)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from beacon.reference.vocabularies import all_vocabularies

# The survey's questions, in the order the form asks them (the form's data fields, minus start/end).
PERSON_TEXT = ("prs_Salutation", "prs_First_Name", "prs_Second_Name", "prs_Title", "prs_Citizenship")
CONTACTS = ("prs_Email", "prs_HomePhone", "prs_MobilePhone")
ADDRESS = ("prs_MailingStreet", "prs_MailingCity", "prs_MailingState", "prs_MailingPostalCode", "prs_MailingCountry")
DATES = ("prs_Birthdate", "cas_IncomingReferralDate")
# Answer field -> the HTCDS picklist its values come from.
PICKLISTS = {
    "prs_Gender": "htcds:prs_Gender",
    "vic_MethodOfRecruitment": "htcds:vic_MethodOfRecruitment",
    "vic_TraffickingStatus": "htcds:vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg": "htcds:vic_TraffickingStatusDecisionMakingOrg",
    "vic_Methods_of_Control": "htcds:vic_MethodsOfControl",
    "vic_TypeOfExploitation": "htcds:vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry": "htcds:vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation": "htcds:vic_TypeOfSexExploitation",
    "cas_Status": "htcds:cas_Status",
    "cas_ReasonForIncomingReferral": "htcds:cas_ReasonForIncomingReferral",
}
FREE_TEXT = (
    "vic_LocationOfRecruitment",
    "vic_LocationOfExploitation",
    "cas_ReferringOrganisation",
    "cas_ReferringPrimaryCaseWorker",
    "cas_IncomingReferralDetails",
)
CONSENT = "con_Consent"
SURVEY_FIELDS = frozenset((CONSENT, *PERSON_TEXT, *CONTACTS, *ADDRESS, *DATES, *PICKLISTS, *FREE_TEXT))
# Written by the collecting tool, not answers: read for the UUID and form id, never stored as answers.
TOOL_FIELDS = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "audit",
        "instanceID",
        "instanceName",
        "uuid",
        "rootUuid",
        "deprecatedID",
        "__version__",
        "__system",
    }
)
LABELS = {
    "prs_Gender": "Gender",
    "vic_MethodOfRecruitment": "Method of recruitment",
    "vic_TraffickingStatus": "Trafficking status",
    "vic_TraffickingStatusDecisionMakingOrg": "Trafficking status decided by",
    "vic_Methods_of_Control": "Methods of control",
    "vic_TypeOfExploitation": "Type of exploitation",
    "vic_ForcedLabourIndustry": "Forced labour industry",
    "vic_TypeOfSexExploitation": "Type of sexual exploitation",
    "cas_Status": "Case status at the referring organisation",
    "cas_ReasonForIncomingReferral": "Reason for referral",
    "vic_LocationOfRecruitment": "Location of recruitment",
    "vic_LocationOfExploitation": "Location of exploitation",
    "cas_ReferringOrganisation": "Referring organisation",
    "cas_ReferringPrimaryCaseWorker": "Referring case worker",
    "cas_IncomingReferralDetails": "Referral details",
    "cas_IncomingReferralDate": "Referral date",
    "prs_Citizenship": "Citizenship",
    "prs_Birthdate": "Birth date",
}
YES = frozenset({"yes", "y", "true", "1", "ok", "consent", "consented", "si", "sí"})
NO = frozenset({"no", "n", "false", "0", "refused", "declined"})


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass
class FieldRecord:
    submission_uuid: str
    form_id: str
    names: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    exploitation_types: list[str] = field(default_factory=list)
    child_involved: str = "unknown"
    places: list[str] = field(default_factory=list)  # where the exploitation or the recruitment happened
    summary_lines: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def narrative(self) -> str:
        return "\n".join(["Submission of the HTCDS survey collected in the field.", *self.summary_lines])


def flatten(payload: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"group": {"prs_Email": ...}}` and `{"group/prs_Email": ...}` both become `{"prs_Email": ...}`
    keyed by the last path segment (the form's field names are unique)."""
    flat: dict[str, Any] = {}
    for key, value in payload.items():
        name = str(key).rsplit("/", 1)[-1]
        if isinstance(value, Mapping) and name not in ("__system",):
            flat.update(flatten(value, f"{prefix}{key}/"))
        else:
            flat[name] = value
    return flat


def _uuid(payload: Mapping[str, Any], flat: Mapping[str, Any]) -> str:
    # formhub/uuid is the form's id, not the submission's: never read it here.
    for candidate in (
        flat.get("_uuid"),
        flat.get("instanceID"),
        payload.get("__id"),
        flat.get("__id"),
        flat.get("KEY"),
    ):
        if isinstance(candidate, str) and candidate.strip():
            value = candidate.strip()
            return value[5:] if value.lower().startswith("uuid:") else value
    return ""


def _text(name: str, value: Any, record: FieldRecord) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        record.errors.append(Problem(name, "expected text, got a list or an object"))
        return ""
    text = str(value).strip()
    if len(text) > 5000:
        record.errors.append(Problem(name, "longer than 5,000 characters"))
        return ""
    return text


def _picklist(name: str, text: str, record: FieldRecord) -> list[tuple[str, str]]:
    """(code, label) for each answer; unknown answers kept as text with a warning."""
    entries = all_vocabularies().get(PICKLISTS[name], [])
    by_code = {code.lower(): (code, label) for code, label, _extra in entries}
    by_label = {str(label).lower(): (code, label) for code, label, _extra in entries}
    whole = text.lower()
    if whole in by_code or whole in by_label:  # a label may contain spaces
        return [by_code.get(whole) or by_label[whole]]
    found = []
    for part in text.split():
        hit = by_code.get(part.lower()) or by_label.get(part.lower())
        if hit:
            found.append(hit)
        else:
            record.warnings.append(Problem(name, "an answer that is not a HTCDS code; kept as text"))
            found.append(("", part))
    return found


def _date(name: str, text: str, record: FieldRecord) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        record.errors.append(Problem(name, "not a date (expected YYYY-MM-DD)"))
        return None


def read_submission(payload: Mapping[str, Any], *, today: dt.date) -> FieldRecord:
    if not isinstance(payload, Mapping):
        raise TypeError("a submission is a JSON object")
    flat = flatten(payload)
    record = FieldRecord(
        submission_uuid=_uuid(payload, flat), form_id=str(flat.get("_xform_id_string") or flat.get("id") or "")[:100]
    )
    if not record.submission_uuid:
        record.errors.append(Problem("_uuid", "the submission has no UUID (_uuid or meta/instanceID)"))
    elif len(record.submission_uuid) > 64:
        record.errors.append(Problem("_uuid", "longer than 64 characters"))
    texts = {name: _text(name, value, record) for name, value in flat.items() if name in SURVEY_FIELDS}
    for name in sorted(flat):
        if name not in SURVEY_FIELDS and name not in TOOL_FIELDS and not name.startswith("_"):
            record.warnings.append(Problem(name, "not a question of the HTCDS survey; kept with the submission"))

    consent = texts.get(CONSENT, "").lower()
    if consent in NO:
        record.errors.append(Problem(CONSENT, "the person did not consent to the interview: nothing was stored"))
    elif consent not in YES:
        record.warnings.append(Problem(CONSENT, "consent to the interview is not recorded"))

    name = " ".join(t for t in (texts.get("prs_First_Name"), texts.get("prs_Second_Name")) if t)
    record.names = [name] if name else []
    record.emails = [texts["prs_Email"]] if texts.get("prs_Email") else []
    record.phones = [texts[f] for f in ("prs_MobilePhone", "prs_HomePhone") if texts.get(f)]
    address = ", ".join(texts[f] for f in ADDRESS if texts.get(f))
    record.addresses = [address] if address else []

    birth = _date("prs_Birthdate", texts["prs_Birthdate"], record) if texts.get("prs_Birthdate") else None
    if birth:
        if birth > today:
            record.errors.append(Problem("prs_Birthdate", "a birth date in the future"))
        else:
            age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
            record.child_involved = "yes" if age < 18 else "no"
            record.summary_lines.append(f"Age at the interview: {age}")
    referral = (
        _date("cas_IncomingReferralDate", texts["cas_IncomingReferralDate"], record)
        if texts.get("cas_IncomingReferralDate")
        else None
    )

    for answer_field in PICKLISTS:
        if not texts.get(answer_field):
            continue
        answers = _picklist(answer_field, texts[answer_field], record)
        if answer_field == "vic_TypeOfExploitation":
            record.exploitation_types = [code for code, _label in answers if code]
        record.summary_lines.append(f"{LABELS[answer_field]}: {'; '.join(str(label) for _c, label in answers)}")
    if texts.get("prs_Citizenship"):
        record.summary_lines.append(f"{LABELS['prs_Citizenship']}: {texts['prs_Citizenship']}")
    for text_field in FREE_TEXT:
        if texts.get(text_field):
            record.summary_lines.append(f"{LABELS[text_field]}: {texts[text_field]}")
    if referral:
        record.summary_lines.append(f"{LABELS['cas_IncomingReferralDate']}: {referral.isoformat()}")
    record.places = [texts[f] for f in ("vic_LocationOfExploitation", "vic_LocationOfRecruitment") if texts.get(f)]
    if texts.get("prs_MailingCity"):
        record.places.append(texts["prs_MailingCity"])
    return record
