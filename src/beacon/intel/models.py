"""Stored online posts, their contact points and red flags, and the latest analysis (templates, networks).

Posts are public online ads, not survivor data: no field is encrypted. Contacts carry blind
indexes under the tips and cases apps' purposes so a phone or e-mail in a tip or case can be
matched against networks without either side reading the other's plain values.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beacon.web.models import PublicIdModel


class JobStatus(models.TextChoices):
    PREVIEW = "preview", _("Waiting for the columns to be checked")
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


def default_source_tz() -> str:
    """Times in a file without an offset are read in the site's zone unless the import says otherwise."""
    return settings.TIME_ZONE


class ImportJob(PublicIdModel):
    """One uploaded CSV / JSON Lines file and what its ingest did (progress saved as it goes)."""

    MAX_STORED_ERRORS = 500

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    file_name = models.CharField(max_length=255)  # as uploaded
    stored_path = models.CharField(max_length=500)  # relative to MEDIA_ROOT
    default_source = models.CharField(max_length=100, blank=True)
    analyse_after = models.BooleanField(default=True)
    # which column holds each core field ({"id": "post_id", ...}; unnamed fields by their aliases),
    # the contact columns ([] = every column with a known contact name) and the zone of times
    # written without an offset
    column_map = models.JSONField(default=dict, blank=True)
    contact_columns = models.JSONField(default=list, blank=True)
    source_tz = models.CharField(max_length=64, default=default_source_tz)
    status = models.CharField(max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    total_lines = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)  # lines handled so far (good and bad)
    posts_created = models.PositiveIntegerField(default=0)
    posts_existing = models.PositiveIntegerField(default=0)  # already stored: idempotent re-import
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"line": n, "message": "..."}], capped
    message = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Import {self.public_id}"

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        if not self.total_lines:
            return 0
        return min(99, int(100 * self.rows_read / self.total_lines))

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    @property
    def awaiting_preview(self) -> bool:
        return self.status == JobStatus.PREVIEW


class Post(PublicIdModel):
    source = models.CharField(max_length=100)
    source_post_id = models.CharField(max_length=200)
    url = models.URLField(max_length=1000, blank=True)
    posted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    title = models.TextField(blank=True)
    body = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)
    contact_columns = models.JSONField(default=dict, blank=True)  # contact columns as the source gave them
    # Extraction: {"phones": [...], "emails": [...], "handles": [...], "prices": [...], "ages": [...],
    # "places": [...]} with the raw text and span of each.
    extracted = models.JSONField(default=dict, blank=True)
    # [{"flag": id, "family": ..., "weight": w, "matches": [{"text": ..., "span": [s, e]}]}]
    flags = models.JSONField(default=list, blank=True)
    flag_score = models.FloatField(default=0, db_index=True)
    image_hash = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, blank=True)
    county_fips = models.CharField(max_length=5, blank=True, db_index=True)
    import_job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["posted_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["source", "source_post_id"], name="intel_post_source_id")]

    def __str__(self) -> str:
        return f"{self.source}/{self.source_post_id}"

    @property
    def text(self) -> str:
        """The text the extractors' spans refer to (the core's Post.text)."""
        return f"{self.title}\n{self.body}" if self.title else self.body


class ContactKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    HANDLE = "handle", _("Handle or image")


class Contact(models.Model):
    """A contact point seen in posts: E.164 phone, normalised e-mail or platform handle.

    `bidx` is the blind index of a phone or e-mail under the kind's one purpose (`intel.linking`): it
    equals the index a tip or a case stores for the same phone or e-mail.
    """

    kind = models.CharField(max_length=10, choices=ContactKind.choices)
    value = models.CharField(max_length=320)
    bidx = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [models.UniqueConstraint(fields=["kind", "value"], name="intel_contact_kind_value")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def identifier(self) -> str:
        return f"{self.kind}:{self.value}"


class PostContact(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="contact_links")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="post_links")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "contact"], name="intel_post_contact")]

    def __str__(self) -> str:
        return f"contact {self.contact_id} in post {self.post_id}"


class PostFlag(models.Model):
    """One red flag on one post: what post search filters on."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flag_rows")
    flag_id = models.CharField(max_length=60)
    family = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "flag_id"], name="intel_post_flag")]
        indexes = [models.Index(fields=["flag_id", "post"], name="intel_postflag_flag_idx")]

    def __str__(self) -> str:
        return f"{self.flag_id} on post {self.post_id}"


class AnalysisRun(PublicIdModel):
    """One analysis over every stored post. Only the latest finished run is shown."""

    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    posts = models.PositiveIntegerField(default=0)
    network_count = models.PositiveIntegerField(default=0)
    template_count = models.PositiveIntegerField(default=0)
    hubs = models.JSONField(default=list, blank=True)  # shared identifiers that joined nothing
    stats = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-finished_at", "-pk"]

    def __str__(self) -> str:
        return f"Analysis {self.public_id}"


class TemplateCluster(models.Model):
    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="templates")
    label = models.IntegerField()  # the core's cluster label within the run
    size = models.PositiveIntegerField()
    snippet = models.TextField(blank=True)
    common_shingles = models.PositiveIntegerField(default=0)
    posts = models.ManyToManyField(Post, through="TemplateMember", related_name="template_clusters")

    class Meta:
        ordering = ["-size", "pk"]
        constraints = [models.UniqueConstraint(fields=["run", "label"], name="intel_template_run_label")]

    def __str__(self) -> str:
        return f"template {self.label} ({self.size} posts)"


class TemplateMember(models.Model):
    cluster = models.ForeignKey(TemplateCluster, on_delete=models.CASCADE)
    post = models.ForeignKey(Post, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cluster", "post"], name="intel_template_member")]

    def __str__(self) -> str:
        return f"post {self.post_id} in template {self.cluster_id}"


class Network(PublicIdModel):
    """Posts joined by templates and shared contact points, ranked for review by flag score."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="networks")
    rank = models.PositiveIntegerField()
    score = models.FloatField()
    size = models.PositiveIntegerField()  # posts
    phone_count = models.PositiveIntegerField(default=0)
    email_count = models.PositiveIntegerField(default=0)
    handle_count = models.PositiveIntegerField(default=0)
    place_count = models.PositiveIntegerField(default=0)
    first_seen = models.DateField(null=True, blank=True)
    last_seen = models.DateField(null=True, blank=True)
    span_days = models.PositiveIntegerField(default=0)
    cities = models.JSONField(default=list, blank=True)
    counties = models.JSONField(default=list, blank=True)  # [{"fips": ..., "name": ...}]
    movement = models.JSONField(default=list, blank=True)  # place visits in time order
    flag_counts = models.JSONField(default=dict, blank=True)  # flag id -> posts carrying it
    network_flags = models.JSONField(default=list, blank=True)  # [{"flag", "weight", "evidence"}]
    flag_total = models.PositiveIntegerField(default=0)
    # "|a|b|" keys so filters are one indexed-free LIKE on both SQLite and PostgreSQL, without joins
    family_key = models.CharField(max_length=200, blank=True)
    county_key = models.TextField(blank=True)
    posts = models.ManyToManyField(Post, through="NetworkPost", related_name="networks")
    contacts = models.ManyToManyField(Contact, through="NetworkContact", related_name="networks")

    class Meta:
        ordering = ["rank"]
        indexes = [
            models.Index(fields=["run", "rank"], name="intel_network_run_rank"),
            models.Index(fields=["run", "-score"], name="intel_network_run_score"),
        ]

    def __str__(self) -> str:
        return f"Network {self.public_id}"

    @property
    def family_list(self) -> list[str]:
        return [f for f in self.family_key.split("|") if f]


class NetworkPost(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    post = models.ForeignKey(Post, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "post"], name="intel_network_post")]

    def __str__(self) -> str:
        return f"post {self.post_id} in network {self.network_id}"


class NetworkContact(models.Model):
    network = models.ForeignKey(Network, on_delete=models.CASCADE)
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["network", "contact"], name="intel_network_contact")]

    def __str__(self) -> str:
        return f"contact {self.contact_id} in network {self.network_id}"


class NetworkAlias(models.Model):
    """An id a network no longer has (merged into another, or split with none of its parts keeping
    most of it): its old URL redirects to the network that holds most of its posts now."""

    class Kind(models.TextChoices):
        MERGED = "merged", _("merged into")
        SPLIT = "split", _("split; most posts now in")

    old_id = models.CharField(max_length=12, unique=True)
    network_id = models.CharField(max_length=12, db_index=True)  # public id of the network now
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_id} -> {self.network_id}"


class NetworkEvent(models.Model):
    """What analyses did to a network's identity, kept across analyses by public id."""

    class Kind(models.TextChoices):
        CREATED = "created", _("first found")
        ABSORBED = "absorbed", _("took in network")
        SPLIT_FROM = "split_from", _("split off from network")
        TOOK_OVER = "took_over", _("holds most posts of the split network")

    network_id = models.CharField(max_length=12, db_index=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    other_id = models.CharField(max_length=12, blank=True)
    posts = models.PositiveIntegerField(default=0)  # the network's size after the change
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.network_id} {self.kind} {self.other_id}"
