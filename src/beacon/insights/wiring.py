"""Connects the insights app to the platform: access adapters, staff navigation, home panels, seeders."""
