"""Beacon: the anti-trafficking response platform for Illinois."""

__version__ = "0.1.0"
