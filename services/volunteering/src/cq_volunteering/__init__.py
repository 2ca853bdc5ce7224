"""CareQuartier volunteering service."""
