from __future__ import annotations

import base64
import json
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.management.base import BaseCommand, CommandError, CommandParser

from beacon.audit.checkpoints import (
    CheckpointError,
    make_checkpoint,
    public_key_text,
    trusted_public_keys,
    verify_checkpoints,
    write_checkpoint,
)
from beacon.audit.services import verify_chain


class Command(BaseCommand):
    help = (
        "Audit log tools: `verify` checks the keyed hash chain (and signed checkpoints); `checkpoint` writes a "
        "signed checkpoint; `generate-key` and `generate-signing-key` print new keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="Verify the audit chain, and the checkpoints in a folder.")
        verify.add_argument("--checkpoints", type=Path, help="Folder of checkpoint files to check the log against.")
        verify.add_argument(
            "--public-key",
            action="append",
            default=[],
            help="Also trust checkpoints signed by this public key (base64); repeatable, e.g. for a retired key.",
        )
        checkpoint = sub.add_parser("checkpoint", help="Write a signed checkpoint of the chain head.")
        checkpoint.add_argument("--out", default="-", help="A folder to write the file into, or - for stdout.")
        sub.add_parser("generate-key", help="Print a new key for BEACON_AUDIT_KEYS.")
        sub.add_parser("generate-signing-key", help="Print a new BEACON_AUDIT_SIGNING_KEY and its public key.")

    def handle(self, *args: object, **options: object) -> None:
        action = options["action"]
        if action == "generate-key":
            self.stdout.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode().rstrip("="))
            return
        if action == "generate-signing-key":
            seed = secrets.token_bytes(32)
            self.stdout.write("BEACON_AUDIT_SIGNING_KEY=" + base64.urlsafe_b64encode(seed).decode().rstrip("="))
            self.stdout.write("public key: " + public_key_text(Ed25519PrivateKey.from_private_bytes(seed)))
            return
        try:
            if action == "checkpoint":
                self._checkpoint(str(options["out"]))
            else:
                self._verify(options.get("checkpoints"), list(options["public_key"]))  # type: ignore[arg-type]
        except CheckpointError as exc:
            raise CommandError(str(exc)) from None

    def _checkpoint(self, out: str) -> None:
        if out == "-":
            self.stdout.write(json.dumps(make_checkpoint(), indent=2))
        else:
            self.stdout.write(f"Checkpoint written to {write_checkpoint(Path(out))}")

    def _verify(self, checkpoints: Path | None, public_keys: list[str]) -> None:
        result = verify_chain()
        problems = list(result.problems)
        checked_points = 0
        if checkpoints is not None:
            outside = verify_checkpoints(checkpoints, trusted_public_keys(public_keys))
            problems += outside.problems
            checked_points = outside.checked
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"Audit log verification FAILED: {len(problems)} problem(s).")
        tail = f", {checked_points} checkpoint(s) match" if checkpoints is not None else ""
        self.stdout.write(self.style.SUCCESS(f"Audit log verified: {result.checked} entries, chain intact{tail}."))
