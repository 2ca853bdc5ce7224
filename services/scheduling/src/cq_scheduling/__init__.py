"""CareQuartier scheduling service."""
