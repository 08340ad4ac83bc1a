"""Connects the tips app to the platform: access adapters, staff navigation, home panels, seeders."""
