"""Connects the directory app to the platform: access adapters, staff navigation, home panels, seeders."""
