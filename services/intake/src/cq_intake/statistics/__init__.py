"""Anonymous counts of a site's cases, which survive the erasure of their people."""
