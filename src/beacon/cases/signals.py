"""Signals other apps listen to. Optimistic-locking updates use QuerySet.update(), which sends no
post_save, so the services announce those changes here."""

from django.dispatch import Signal

# Sent with `model` (Case or Person) and `pk` after a versioned update commits to the row.
record_updated = Signal()
