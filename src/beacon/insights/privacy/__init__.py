"""Disclosure control for published statistics: small-cell suppression, differential privacy and
synthetic microdata. Pure Python (no Django import); the insights app calls these."""
