"""CareQuartier intake service."""
