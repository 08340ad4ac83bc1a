"""`/api/v1/cases`: cases, notes, consents, referrals and tasks. Same services and rules as the screens."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status

from beacon.access.policy import Action
from beacon.accounts.models import Agency
from beacon.api.auth import ApiRequest, requires
from beacon.cases import selectors, services
from beacon.cases.models import MAX_AGE, CaseStatus, Consent, ConsentKind, HhsLetter, ReferralSource, Task
from beacon.cases.services import EditConflict
from beacon.cases.sharing import SHAREABLE_FIELDS
from beacon.reference.vocabularies import choices

router = Router(tags=["cases"])


# Every code an operation takes is one of its list's codes, and every text has a length: the
# OpenAPI schema says so, and anything else is a 422 before a service runs (the probe stored
# status "pwned" and 200,000-character names, which failed later).
def _codes(vocabulary: str) -> Any:
    return Literal[tuple(code for code, _label in choices(vocabulary))]


def _enum(choices_class: Any) -> Any:
    return Literal[tuple(choices_class.values)]


Blank = Literal[""]
ConsentMethod = Literal["verbal", "written", "guardian"]
if TYPE_CHECKING:
    # The code lists are read from the vocabularies when the module loads, so a type checker
    # sees each of these as the string it is; ninja and the OpenAPI schema see the Literal.
    Gender = str
    TraffickingStatus = str
    DecidedBy = str
    ExploitationType = str
    PolarisType = str
    Industry = str
    ControlMethod = str
    RecruitmentMethod = str
    RecruitmentWebsite = str
    Relationship = str
    ServiceCategory = str
    ReferralReason = str
    StatusCode = str
    Source = str
    Letter = str
    ConsentCode = str
    ShareableField = str
else:
    Gender = _codes("htcds:prs_Gender") | Blank
    TraffickingStatus = _codes("htcds:vic_TraffickingStatus") | Blank
    DecidedBy = _codes("htcds:vic_TraffickingStatusDecisionMakingOrg") | Blank
    ExploitationType = _codes("htcds:vic_TypeOfExploitation")
    PolarisType = _codes("polaris") | Blank
    Industry = _codes("htcds:vic_ForcedLabourIndustry") | Blank
    ControlMethod = _codes("htcds:vic_MethodsOfControl")
    RecruitmentMethod = _codes("htcds:vic_MethodOfRecruitment")
    RecruitmentWebsite = _codes("htcds:vic_RecruitmentWebsitesAndApps")
    Relationship = _codes("htcds:vic_RelationshipToTrafficker") | Blank
    ServiceCategory = _codes("service_category")
    ReferralReason = _codes("htcds:cas_ReasonForOutgoingReferral")
    StatusCode = _enum(CaseStatus)
    Source = _enum(ReferralSource) | Blank
    Letter = _enum(HhsLetter) | Blank
    ConsentCode = _enum(ConsentKind)
    ShareableField = Literal[tuple(SHAREABLE_FIELDS)]

Name = Annotated[str, Field(max_length=100)]
Short = Annotated[str, Field(max_length=200)]
Long = Annotated[str, Field(max_length=20_000)]
CountyCode = Annotated[str, Field(max_length=5, pattern=r"^(\d{5})?$")]


class ErrorOut(Schema):
    detail: Any


class CaseRow(Schema):
    id: str = Field(..., alias="public_id")
    status: str
    type: str = Field(..., alias="primary_type")
    polaris_type: str
    county: str | None = Field(None, alias="county_id")
    agency: str = Field(..., alias="agency.name")
    owner: str | None = None
    opened_at: dt.datetime

    @staticmethod
    def resolve_owner(obj: Any) -> str | None:
        return obj.owner.username if obj.owner_id else None


class PersonOut(Schema):
    id: str = Field(..., alias="public_id")
    given_name: str
    family_name: str
    aliases: list[str] | None
    birth_date: str
    estimated_age: int | None
    age_at_intake: int | None
    minor_at_intake: bool
    minor_when_trafficked: bool
    gender: str
    languages: list[str]
    citizenship: str
    contact: dict[str, str] | None
    immigration_status: str
    from_tip_unconfirmed: bool
    version: int


class CaseOut(Schema):
    id: str = Field(..., alias="public_id")
    person: PersonOut
    status: str
    trafficking_status: str
    trafficking_status_decided_by: str
    exploitation_types: list[str]
    sex_exploitation_types: list[str]
    polaris_type: str
    industry: str
    methods_of_control: list[str]
    recruitment_methods: list[str]
    recruitment_websites: list[str]
    relationship_to_trafficker: str
    referral_source: str
    county: str | None = Field(None, alias="county_id")
    summary: str
    tips: list[str] = Field(default_factory=list, description="Public ids of the tips this case was opened from")
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    closure_reason: str
    living_situation_at_closure: str
    hhs_letter: str
    version: int

    @staticmethod
    def resolve_tips(obj: Any) -> list[str]:
        return [tip.public_id for tip in obj.tips.all()] if hasattr(obj, "tips") else []


class CaseIn(Schema):
    given_name: Name = ""
    family_name: Name = ""
    aliases: Annotated[list[Name], Field(max_length=20)] | None = None
    birth_date: dt.date | None = None
    estimated_age: int | None = Field(None, ge=0, le=MAX_AGE)
    age_when_trafficked: int | None = Field(None, ge=0, le=MAX_AGE)
    gender: Gender = ""
    languages: Annotated[list[Annotated[str, Field(max_length=10)]], Field(max_length=20)] = []
    citizenship: Annotated[str, Field(max_length=3)] = ""
    phone: Annotated[str, Field(max_length=30)] = ""
    email: Annotated[str, Field(max_length=254)] = ""
    address: Annotated[str, Field(max_length=300)] = ""
    immigration_status: Short = ""
    trafficking_status: TraffickingStatus = ""
    trafficking_status_decided_by: DecidedBy = ""
    exploitation_types: Annotated[list[ExploitationType], Field(max_length=40)] = []
    polaris_type: PolarisType = ""
    industry: Industry = ""
    methods_of_control: Annotated[list[ControlMethod], Field(max_length=40)] = []
    recruitment_methods: Annotated[list[RecruitmentMethod], Field(max_length=40)] = []
    recruitment_websites: Annotated[list[RecruitmentWebsite], Field(max_length=40)] = []
    relationship_to_trafficker: Relationship = ""
    referral_source: Source = ""
    county: CountyCode = ""
    summary: Long = ""


class CasePatch(Schema):
    version: int = Field(..., ge=1)
    status: StatusCode | None = None
    trafficking_status: TraffickingStatus | None = None
    trafficking_status_decided_by: DecidedBy | None = None
    exploitation_types: Annotated[list[ExploitationType], Field(max_length=40)] | None = None
    polaris_type: PolarisType | None = None
    industry: Industry | None = None
    methods_of_control: Annotated[list[ControlMethod], Field(max_length=40)] | None = None
    county: CountyCode | None = None
    summary: Long | None = None
    closure_reason: Short | None = None
    living_situation_at_closure: Annotated[str, Field(max_length=120)] | None = None
    hhs_letter: Letter | None = None
    referral_source: Source | None = None
    outcome: Long | None = None


class CaseQuery(Schema):
    q: Annotated[str, Field(max_length=200)] = ""
    status: StatusCode | Literal["", "open"] = ""
    type: ExploitationType | Blank = ""
    county: CountyCode = ""
    owner: Annotated[str, Field(max_length=150)] = ""
    page: int = Field(1, ge=1, le=selectors.MAX_PAGE)


class CasePage(Schema):
    items: list[CaseRow]
    page: int
    has_next: bool


class NoteIn(Schema):
    body: Annotated[str, Field(min_length=1, max_length=20_000)]


class NoteOut(Schema):
    id: str = Field(..., alias="public_id")
    body: str
    created_at: dt.datetime


class ConsentIn(Schema):
    kind: ConsentCode
    agency: str | None = Field(None, max_length=20, description="Agency public id, for a referral consent")
    method: ConsentMethod = "verbal"
    expires_on: dt.date | None = Field(None, description="The last day the consent holds")
    scope_fields: Annotated[list[ShareableField], Field(max_length=len(SHAREABLE_FIELDS))] = Field(
        default_factory=list, description="For a referral: the fields the survivor agrees may be shared"
    )
    witness: Annotated[str, Field(max_length=200)] = ""


class ConsentOut(Schema):
    id: str = Field(..., alias="public_id")
    kind: str
    agency: str | None = None
    method: str
    granted_at: dt.datetime
    expires_on: dt.date | None = None
    scope_fields: list[str] = []
    revoked_at: dt.datetime | None

    @staticmethod
    def resolve_agency(obj: Any) -> str | None:
        return obj.agency.public_id if obj.agency_id else None


class ReferralIn(Schema):
    to_agency: str = Field(..., max_length=20, description="Agency public id")
    service: ServiceCategory
    shared_fields: Annotated[list[ShareableField], Field(max_length=len(SHAREABLE_FIELDS))]
    message: Annotated[str, Field(max_length=2000)] = ""
    reason: ReferralReason = "AdditionalServicesRequired"
    urgency: Literal["urgent", "normal", "low"] = "normal"


class ReferralOut(Schema):
    id: str = Field(..., alias="public_id")
    case: str | None = None
    from_agency: str = Field(..., alias="from_agency.public_id")
    to_agency: str = Field(..., alias="to_agency.public_id")
    service: str
    status: str
    urgency: str
    received_case: str | None = Field(None, description="The receiving agency's own case, to that agency only")
    shared_fields: list[str]
    decline_reason: str
    sent_at: dt.datetime
    responded_at: dt.datetime | None

    @staticmethod
    def resolve_received_case(obj: Any, context: Any) -> str | None:
        request = context["request"]
        if not obj.received_case_id or obj.to_agency_id != request.auth.agency_id:
            return None
        return obj.received_case.public_id

    @staticmethod
    def resolve_case(obj: Any, context: Any) -> str | None:
        # The receiving agency learns the case id only through the shared view.
        request = context["request"]
        return obj.case.public_id if obj.from_agency_id == request.auth.agency_id else None


class ReferralDetailOut(ReferralOut):
    summary: dict[str, Any] = Field(
        default_factory=dict, description="What the receiving agency reads before accepting (codes, no names)"
    )
    message: str = ""

    @staticmethod
    def resolve_summary(obj: Any) -> dict[str, Any]:
        return obj.summary or {}


class SharedField(Schema):
    field: str
    label: str
    value: Any


class SharedOut(Schema):
    referral: str
    fields: list[SharedField]


class ReasonIn(Schema):
    reason: Annotated[str, Field(max_length=300)] = ""


class TaskOut(Schema):
    id: str = Field(..., alias="public_id")
    case: str | None = None
    title: str
    due_date: dt.date
    overdue: bool = False

    @staticmethod
    def resolve_case(obj: Any) -> str | None:
        return obj.case.public_id if obj.case_id else None

    @staticmethod
    def resolve_overdue(obj: Any) -> bool:
        from django.utils import timezone

        return obj.due_date < timezone.localdate()


def _conflict(exc: Exception) -> Status:
    return Status(409, {"detail": str(exc)})


@router.get("", response=CasePage, summary="Search cases the caller may see", **requires("case", Action.VIEW))
def list_cases(request: ApiRequest, filters: Query[CaseQuery]):
    page = selectors.search_cases(request.auth, selectors.CaseFilters(**filters.dict()))
    return {"items": page.items, "page": page.page, "has_next": page.has_next}


@router.post(
    "", response={201: CaseOut, 422: ErrorOut}, summary="Open a case (intake)", **requires("case", Action.CREATE)
)
def create_case(request: ApiRequest, payload: CaseIn):
    case = services.open_case(request.auth, **payload.dict())
    return Status(201, case)


@router.get("/caseload", response=list[CaseRow], summary="The caller's open cases", **requires("case", Action.VIEW))
def my_caseload(request: ApiRequest):
    return selectors.caseload(request.auth)


@router.get("/tasks", response=list[TaskOut], summary="The caller's tasks due within a week", **requires())
def my_tasks(request: ApiRequest):
    return selectors.tasks_due(request.auth)


@router.get(
    "/referrals",
    response=list[ReferralOut],
    summary="Referrals sent and received by the caller's agency",
    **requires("referral", Action.VIEW),
)
def list_referrals(request: ApiRequest, box: str = "incoming"):
    if box == "queue":
        return selectors.intake_queue(request.auth)
    if box == "outgoing":
        return selectors.outgoing_referrals(request.auth)
    return selectors.incoming_referrals(request.auth)


@router.get("/referrals/{referral_id}", response=ReferralDetailOut, **requires("referral", Action.VIEW))
def get_referral(request: ApiRequest, referral_id: str):
    return selectors.get_referral(request.auth, referral_id)


@router.get(
    "/referrals/{referral_id}/shared",
    response=SharedOut,
    summary="The fields shared through an accepted referral (receiving agency)",
    **requires("referral", Action.VIEW),
)
def shared_view(request: ApiRequest, referral_id: str):
    data = selectors.shared_case(request.auth, referral_id)
    return {"referral": data["referral"].public_id, "fields": data["fields"]}


@router.post(
    "/referrals/{referral_id}/accept",
    response={200: ReferralOut, 409: ErrorOut, 422: ErrorOut},
    summary="Accept a referral (receiving agency)",
    **requires("referral", Action.UPDATE),
)
def accept_referral(request: ApiRequest, referral_id: str):
    try:
        return services.accept_referral(request.auth, selectors.get_referral(request.auth, referral_id))
    except EditConflict as exc:
        return _conflict(exc)


@router.post(
    "/referrals/{referral_id}/decline",
    response={200: ReferralOut, 409: ErrorOut, 422: ErrorOut},
    summary="Decline a referral with a reason (receiving agency)",
    **requires("referral", Action.UPDATE),
)
def decline_referral(request: ApiRequest, referral_id: str, payload: ReasonIn):
    try:
        return services.decline_referral(
            request.auth, selectors.get_referral(request.auth, referral_id), reason=payload.reason
        )
    except EditConflict as exc:
        return _conflict(exc)


@router.post(
    "/referrals/{referral_id}/complete",
    response={200: ReferralOut, 409: ErrorOut, 422: ErrorOut},
    **requires("referral", Action.UPDATE),
)
def complete_referral(request: ApiRequest, referral_id: str):
    try:
        return services.complete_referral(request.auth, selectors.get_referral(request.auth, referral_id))
    except EditConflict as exc:
        return _conflict(exc)


@router.post(
    "/referrals/{referral_id}/withdraw",
    response={200: ReferralOut, 409: ErrorOut, 422: ErrorOut},
    summary="Withdraw a referral (sending agency)",
    **requires("referral", Action.UPDATE),
)
def withdraw_referral(request: ApiRequest, referral_id: str, payload: ReasonIn):
    try:
        return services.withdraw_referral(
            request.auth, selectors.get_referral(request.auth, referral_id), reason=payload.reason
        )
    except EditConflict as exc:
        return _conflict(exc)


@router.post(
    "/consents/{consent_id}/revoke",
    response=ConsentOut,
    summary="Revoke a consent now",
    **requires("consent", Action.UPDATE),
)
def revoke(request: ApiRequest, consent_id: str):
    consent = Consent.objects.select_related("case", "agency").filter(public_id=consent_id).first()
    if consent is None:
        raise Http404
    selectors.get_case(request.auth, consent.case.public_id, reason="consent")
    return services.revoke_consent(request.auth, consent)


@router.post("/tasks/{task_id}/done", response=TaskOut, **requires())
def task_done(request: ApiRequest, task_id: str):
    task = Task.objects.select_related("case").filter(public_id=task_id).first()
    if task is None:
        raise Http404
    return services.complete_task(request.auth, task)


@router.get(
    "/{case_id}",
    response=CaseOut,
    summary="One case (own agency); the read is audited",
    **requires("case", Action.VIEW),
)
def get_case(request: ApiRequest, case_id: str):
    return selectors.get_case(request.auth, case_id, reason="api")


@router.patch(
    "/{case_id}",
    response={200: CaseOut, 409: ErrorOut, 422: ErrorOut},
    summary="Update a case; send the version you read (409 if someone saved first)",
    **requires("case", Action.UPDATE),
)
def patch_case(request: ApiRequest, case_id: str, payload: CasePatch):
    case = selectors.get_case(request.auth, case_id, action="update")
    fields = {k: v for k, v in payload.dict(exclude_unset=True).items() if k != "version"}
    try:
        return services.update_case(request.auth, case, version=payload.version, **fields)
    except EditConflict as exc:
        return _conflict(exc)


@router.get("/{case_id}/notes", response=list[NoteOut], **requires("note", Action.VIEW))
def list_notes(request: ApiRequest, case_id: str):
    case = selectors.get_case(request.auth, case_id, reason="api notes")
    return selectors.case_page(request.auth, case)["notes"]


@router.post("/{case_id}/notes", response={201: NoteOut, 422: ErrorOut}, **requires("note", Action.CREATE))
def add_note(request: ApiRequest, case_id: str, payload: NoteIn):
    case = selectors.get_case(request.auth, case_id, reason="api note")
    return Status(201, services.add_note(request.auth, case, payload.body))


@router.post("/{case_id}/consents", response={201: ConsentOut, 422: ErrorOut}, **requires("consent", Action.CREATE))
def add_consent(request: ApiRequest, case_id: str, payload: ConsentIn):
    case = selectors.get_case(request.auth, case_id, reason="api consent")
    agency = Agency.objects.filter(public_id=payload.agency).first() if payload.agency else None
    if payload.agency and agency is None:
        raise ValidationError("Unknown agency.")
    return Status(
        201,
        services.grant_consent(
            request.auth,
            case,
            kind=payload.kind,
            agency=agency,
            method=payload.method,
            expires_on=payload.expires_on,
            scope_fields=list(payload.scope_fields),
            witness=payload.witness,
        ),
    )


@router.post(
    "/{case_id}/referrals",
    response={201: ReferralOut, 422: ErrorOut},
    summary="Refer a case; needs the survivor's consent for the receiving agency",
    **requires("referral", Action.CREATE),
)
def send_referral(request: ApiRequest, case_id: str, payload: ReferralIn):
    case = selectors.get_case(request.auth, case_id, action="update")
    agency = Agency.objects.filter(public_id=payload.to_agency).first()
    if agency is None:
        raise ValidationError("Unknown agency.")
    data = payload.dict()
    data.pop("to_agency")
    return Status(201, services.send_referral(request.auth, case, to_agency=agency, **data))
