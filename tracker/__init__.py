"""Commitment Tracker: the Police and Crime Plan, its evidence, indicators and partner returns."""

__version__ = "0.1.0"
