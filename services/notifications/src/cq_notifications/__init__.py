"""CareQuartier notifications service."""
