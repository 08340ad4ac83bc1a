"""Connects the cases app to the platform: access adapters, staff navigation, home panels, seeders."""
