"""Matches: proposals of a volunteer for a need, and the volunteer's answer."""
