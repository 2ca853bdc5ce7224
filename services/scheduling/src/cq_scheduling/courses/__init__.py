"""Courses of a site (Sturzprävention, Gedächtnistraining ...) and their registrations."""
