"""Case records in the layout of the CTDC global synthetic dataset, codebook v2024 (27 variables).

``ctdc_row`` turns a neutral :class:`CaseFacts` record (HTCDS value names where HTCDS has a list)
into a row of 27 strings, in codebook order, ready for ``privacy.synth`` or a CSV.

Codebook conventions: yes/no variables are ``"1"`` or empty; missing is empty. So "no" and
"unknown" look the same, which is the codebook's choice, not a loss here.

Mapping decisions:

- ``yearOfRegistration``: the year as four digits.
- ``gender`` from HTCDS ``prs_Gender``: Feminine -> Woman; Masculine -> Man;
  TransgenderFeminine, TransgenderMasculine, NonConforming -> Trans/Transgender/NonConforming;
  NonSpecifiedUnknown -> empty.
- ``ageBroad``: age in whole years into 0-8, 9-17, 18-20, 21-23, 24-26, 27-29, 30-38, 39-47, 48+.
- ``traffickMonths``: months trafficked into 0-12, 13-24, 25+.
- ``citizenship``, ``CountryOfExploitation``: ISO 3166-1 alpha-3, from alpha-2 or alpha-3 input
  (HTCDS allows either); codes are checked against ``pycountry``. HTCDS citizenship can hold
  several countries; the caller passes the one to publish.
- ``means*`` from HTCDS ``vic_MethodsOfControl``, by meaning (``MEANS_OF_CONTROL``):
  DebtBondage, TakesEarnings, RestrictsFinancialAccess -> meansDebtBondageEarnings (control of
  debt, pay or money); PhysicalThreats, ThreatsLawEnforcement, ThreatensChildrenFamily ->
  meansThreats; PhysicalAbuse, SexualAbuse, PsychologicalAbuse -> meansAbusePsyPhySex;
  FalsePromises -> meansFalsePromises; PsychoactiveSubstance -> meansDrugsAlcohol;
  WithholdsNecessities, RestrictsMedicalCare -> meansDenyBasicNeeds; ExcessiveWorkingHours ->
  meansExcessiveWorkHours; WithholdsDocuments -> meansWithholdDocs. Unmapped: Other.
- ``isForcedLabour`` <- ForcedLabour; ``isSexualExploit`` <- SexualExploitation;
  ``isOtherExploit`` <- every other ``vic_TypeOfExploitation`` value (ChildLabour, ForcedMarriage,
  Servitude, ForcedMilitaryByNonStateActors, OrganRemoval, ForcedBegging, ForcedAdoption,
  Surrogacy, Other), because HTCDS records them as distinct from forced labour.
- ``typeOfLabour*`` from ``vic_ForcedLabourIndustry`` (ISIC v4 sections): A (agriculture, forestry
  and fishing) -> Agriculture; F -> Construction; T (households as employers) -> DomesticWork;
  I (accommodation and food service) -> Hospitality. Other sections have no CTDC variable. Set
  from the industry whatever the type of exploitation, since HTCDS only asks it for forced labour.
- ``typeOfSex*`` from ``vic_TypeOfSexExploitation``: Prostitution, Pornography. Unmapped:
  RemoteInteractiveServices, PrivateSexualServices.
- ``recruiterRelation*``: Beacon records the relation as IntimatePartner, Friend, Family or Other
  (``RECRUITER_RELATIONS``); HTCDS ``vic_RelationshipToTrafficker`` values are also accepted:
  Familial -> Family; Acquainted and Unaquainted -> Other (HTCDS does not say whether an
  acquaintance was a partner or friend).

Unknown codes raise ``ValueError`` rather than silently becoming empty.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypedDict

import pycountry

from beacon.reference.htcds import vocabulary

CTDC_CODEBOOK = "v2024"
CTDC_VARIABLES: tuple[str, ...] = (
    "yearOfRegistration",
    "gender",
    "ageBroad",
    "citizenship",
    "CountryOfExploitation",
    "traffickMonths",
    "meansDebtBondageEarnings",
    "meansThreats",
    "meansAbusePsyPhySex",
    "meansFalsePromises",
    "meansDrugsAlcohol",
    "meansDenyBasicNeeds",
    "meansExcessiveWorkHours",
    "meansWithholdDocs",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "typeOfLabourAgriculture",
    "typeOfLabourConstruction",
    "typeOfLabourDomesticWork",
    "typeOfLabourHospitality",
    "typeOfSexProstitution",
    "typeOfSexPornography",
    "recruiterRelationIntimatePartner",
    "recruiterRelationFriend",
    "recruiterRelationFamily",
    "recruiterRelationOther",
)
YES = "1"
EMPTY = ""

# (lowest age, label); each bin runs up to the next one's lowest age.
AGE_BINS: tuple[tuple[int, str], ...] = (
    (0, "0-8"),
    (9, "9-17"),
    (18, "18-20"),
    (21, "21-23"),
    (24, "24-26"),
    (27, "27-29"),
    (30, "30-38"),
    (39, "39-47"),
    (48, "48+"),
)
MONTH_BINS: tuple[tuple[int, str], ...] = ((0, "0-12"), (13, "13-24"), (25, "25+"))

GENDER = {
    "Feminine": "Woman",
    "Masculine": "Man",
    "TransgenderFeminine": "Trans/Transgender/NonConforming",
    "TransgenderMasculine": "Trans/Transgender/NonConforming",
    "NonConforming": "Trans/Transgender/NonConforming",
    "NonSpecifiedUnknown": EMPTY,
}
MEANS_OF_CONTROL = {
    "DebtBondage": "meansDebtBondageEarnings",
    "TakesEarnings": "meansDebtBondageEarnings",
    "RestrictsFinancialAccess": "meansDebtBondageEarnings",
    "PhysicalThreats": "meansThreats",
    "ThreatsLawEnforcement": "meansThreats",
    "ThreatensChildrenFamily": "meansThreats",
    "PhysicalAbuse": "meansAbusePsyPhySex",
    "SexualAbuse": "meansAbusePsyPhySex",
    "PsychologicalAbuse": "meansAbusePsyPhySex",
    "FalsePromises": "meansFalsePromises",
    "PsychoactiveSubstance": "meansDrugsAlcohol",
    "WithholdsNecessities": "meansDenyBasicNeeds",
    "RestrictsMedicalCare": "meansDenyBasicNeeds",
    "ExcessiveWorkingHours": "meansExcessiveWorkHours",
    "WithholdsDocuments": "meansWithholdDocs",
}
UNMAPPED_MEANS_OF_CONTROL = frozenset({"Other"})
EXPLOITATION = {"ForcedLabour": "isForcedLabour", "SexualExploitation": "isSexualExploit"}
OTHER_EXPLOITATION = "isOtherExploit"
LABOUR_INDUSTRY = {
    "A": "typeOfLabourAgriculture",
    "F": "typeOfLabourConstruction",
    "T": "typeOfLabourDomesticWork",
    "I": "typeOfLabourHospitality",
}
SEX_EXPLOITATION = {"Prostitution": "typeOfSexProstitution", "Pornography": "typeOfSexPornography"}
UNMAPPED_SEX_EXPLOITATION = frozenset({"RemoteInteractiveServices", "PrivateSexualServices"})
RECRUITER_RELATIONS = {
    "IntimatePartner": "recruiterRelationIntimatePartner",
    "Friend": "recruiterRelationFriend",
    "Family": "recruiterRelationFamily",
    "Other": "recruiterRelationOther",
}
HTCDS_RELATIONSHIP_TO_TRAFFICKER = {"Familial": "Family", "Acquainted": "Other", "Unaquainted": "Other"}


class CaseFacts(TypedDict, total=False):
    """What a CTDC row needs from a case; every key is optional (absent means missing)."""

    registration_year: int
    gender: str  # HTCDS prs_Gender value name
    age: int  # whole years
    citizenship: str  # ISO 3166-1 alpha-2 or alpha-3
    country_of_exploitation: str  # ISO 3166-1 alpha-2 or alpha-3
    months_trafficked: int
    methods_of_control: Collection[str]  # HTCDS vic_MethodsOfControl value names
    types_of_exploitation: Collection[str]  # HTCDS vic_TypeOfExploitation value names
    forced_labour_industry: str  # HTCDS vic_ForcedLabourIndustry value name, or its ISIC section letter
    types_of_sex_exploitation: Collection[str]  # HTCDS vic_TypeOfSexExploitation value names
    recruiter_relations: Collection[str]  # RECRUITER_RELATIONS keys or HTCDS relationship values


def age_broad(age: int | None) -> str:
    return _bin(age, AGE_BINS, "age")


def traffick_months(months: int | None) -> str:
    return _bin(months, MONTH_BINS, "months trafficked")


def _bin(value: int | None, bins: tuple[tuple[int, str], ...], what: str) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative whole number, got {value!r}")
    label = EMPTY
    for low, name in bins:
        if value >= low:
            label = name
    return label


def alpha3(code: str | None) -> str:
    """ISO 3166-1 alpha-3 for an alpha-2 or alpha-3 code; empty for a missing one."""
    if not code:
        return EMPTY
    code = code.strip().upper()
    country = None
    if len(code) == 2:
        country = pycountry.countries.get(alpha_2=code)
    elif len(code) == 3:
        country = pycountry.countries.get(alpha_3=code)
    if country is None:
        raise ValueError(f"not an ISO 3166-1 country code: {code!r}")
    return country.alpha_3


def ctdc_row(record: CaseFacts | Mapping[str, Any]) -> dict[str, str]:
    """The 27 CTDC v2024 variables, in codebook order, as strings ("1"/"" for yes/no)."""
    row = dict.fromkeys(CTDC_VARIABLES, EMPTY)
    year = record.get("registration_year")
    if year is not None:
        if isinstance(year, bool) or not isinstance(year, int) or not 1000 <= year <= 9999:
            raise ValueError(f"registration year must be a four-digit year, got {year!r}")
        row["yearOfRegistration"] = str(year)
    gender = record.get("gender")
    if gender is not None:
        row["gender"] = _lookup(GENDER, gender, "gender")
    row["ageBroad"] = age_broad(record.get("age"))
    row["citizenship"] = alpha3(record.get("citizenship"))
    row["CountryOfExploitation"] = alpha3(record.get("country_of_exploitation"))
    row["traffickMonths"] = traffick_months(record.get("months_trafficked"))

    for value in _values(record, "methods_of_control", "vic_MethodsOfControl"):
        if value not in UNMAPPED_MEANS_OF_CONTROL:
            row[MEANS_OF_CONTROL[value]] = YES
    for value in _values(record, "types_of_exploitation", "vic_TypeOfExploitation"):
        row[EXPLOITATION.get(value, OTHER_EXPLOITATION)] = YES
    industry = record.get("forced_labour_industry")
    if industry:
        section = _isic_section(str(industry))
        if section in LABOUR_INDUSTRY:
            row[LABOUR_INDUSTRY[section]] = YES
    for value in _values(record, "types_of_sex_exploitation", "vic_TypeOfSexExploitation"):
        if value not in UNMAPPED_SEX_EXPLOITATION:
            row[SEX_EXPLOITATION[value]] = YES
    for value in _many(record, "recruiter_relations"):
        relation = HTCDS_RELATIONSHIP_TO_TRAFFICKER.get(value, value)
        row[_lookup(RECRUITER_RELATIONS, relation, "recruiter relation")] = YES
    return row


def _lookup(table: Mapping[str, str], value: Any, what: str) -> str:
    if value not in table:
        raise ValueError(f"unknown {what}: {value!r}")
    return table[value]


def _many(record: Mapping[str, Any], key: str) -> list[str]:
    values = record.get(key) or ()
    if isinstance(values, str):
        raise ValueError(f"{key} must be a collection of codes, not a string")
    return list(values)


def _values(record: Mapping[str, Any], key: str, htcds_field: str) -> list[str]:
    values = _many(record, key)
    allowed = {name for name, _ in vocabulary(htcds_field)}
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"unknown {htcds_field} values: {sorted(unknown)}")
    return values


def _isic_section(value: str) -> str:
    allowed = {name for name, _ in vocabulary("vic_ForcedLabourIndustry")}
    sections = {name.split("_", 1)[0] for name in allowed}
    if value not in allowed and value not in sections:
        raise ValueError(f"unknown vic_ForcedLabourIndustry value: {value!r}")
    return value.split("_", 1)[0]
