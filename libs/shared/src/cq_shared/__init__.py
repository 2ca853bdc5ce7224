"""CareQuartier shared kernel."""
