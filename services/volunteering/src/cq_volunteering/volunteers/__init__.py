"""Ehrenamtliche: the volunteers of each site, their skills, availability and certificate."""
