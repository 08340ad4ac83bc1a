"""Signed checkpoints of the audit chain, kept outside the database.

A checkpoint states "entry N exists and its hash is H", signed with an Ed25519 key
(`BEACON_AUDIT_SIGNING_KEY`). Because every entry's hash covers all entries before it, an entry
N that still has hash H proves that nothing up to N changed or went missing. Operators ship the
files somewhere the database's owner cannot rewrite (append-only storage, e-mail, a second system);
`beacon audit verify --checkpoints DIR` then catches what no in-database check can: a log cut back,
or emptied and started again.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from django.conf import settings
from django.utils import timezone

from beacon.audit.models import AuditChainHead, AuditEntry

FORMAT = "beacon-audit-checkpoint/1"


class CheckpointError(RuntimeError):
    pass


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def signing_key() -> Ed25519PrivateKey:
    seed = settings.BEACON_AUDIT_SIGNING_KEY
    if seed is None:
        raise CheckpointError("BEACON_AUDIT_SIGNING_KEY is not set: checkpoints cannot be signed.")
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_text(key: Ed25519PrivateKey | None = None) -> str:
    public = (key or signing_key()).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _b64(public)


def _signed_bytes(body: dict[str, object]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def make_checkpoint() -> dict[str, object]:
    """The current head, signed. Reads the head row only: cheap enough to run at any time."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None:
        raise CheckpointError("the audit chain head is missing: run `beacon audit verify`")
    key = signing_key()
    body: dict[str, object] = {
        "format": FORMAT,
        "seq": head.seq,
        "hash": head.hash,
        "at": timezone.now().isoformat(),
        "public_key": public_key_text(key),
    }
    return {**body, "signature": _b64(key.sign(_signed_bytes(body)))}


def write_checkpoint(directory: Path) -> Path:
    checkpoint = make_checkpoint()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    path = directory / f"checkpoint-{stamp}-{checkpoint['seq']}.json"
    path.write_text(json.dumps(checkpoint, indent=2) + "\n")
    return path


@dataclass(frozen=True)
class CheckpointResult:
    checked: int
    problems: list[str]


def trusted_public_keys(extra: list[str]) -> set[str]:
    keys = set(extra)
    if settings.BEACON_AUDIT_SIGNING_KEY is not None:
        keys.add(public_key_text())
    return keys


def verify_checkpoints(directory: Path, public_keys: set[str]) -> CheckpointResult:
    """Every checkpoint in `directory` must be signed by a trusted key and match the stored entry."""
    problems: list[str] = []
    files = sorted(directory.glob("*.json"))
    if not files:
        problems.append(f"no checkpoint files (*.json) in {directory}")
    head = AuditChainHead.objects.filter(pk=1).first()
    last_seq = head.seq if head is not None else 0
    for path in files:
        try:
            data = json.loads(path.read_text())
            body = {k: v for k, v in data.items() if k != "signature"}
            signature = _unb64(str(data["signature"]))
            seq, hash_, signer = int(data["seq"]), str(data["hash"]), str(data["public_key"])
        except (ValueError, KeyError, TypeError):
            problems.append(f"{path.name}: not a readable checkpoint")
            continue
        if data.get("format") != FORMAT:
            problems.append(f"{path.name}: unknown format {data.get('format')!r}")
            continue
        if signer not in public_keys:
            problems.append(f"{path.name}: signed by a key that is not trusted ({signer[:12]}…)")
            continue
        try:
            Ed25519PublicKey.from_public_bytes(_unb64(signer)).verify(signature, _signed_bytes(body))
        except (InvalidSignature, ValueError):
            problems.append(f"{path.name}: the signature does not match (the file was altered)")
            continue
        if seq == 0:
            continue
        entry = AuditEntry.objects.filter(seq=seq).only("hash").first()
        if entry is None:
            problems.append(
                f"{path.name}: entry {seq} existed at the checkpoint but is gone (the log ends at {last_seq})"
            )
        elif entry.hash != hash_:
            problems.append(f"{path.name}: entry {seq} is not the entry that was checkpointed (the log was rewritten)")
    return CheckpointResult(checked=len(files), problems=problems)
