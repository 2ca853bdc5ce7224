"""CareQuartier's test support, one place for every suite (a library: imported, never run)."""
