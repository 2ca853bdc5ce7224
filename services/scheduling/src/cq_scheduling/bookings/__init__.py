"""Bookings of resources and counselling slots, by coordinators and for cases' needs."""
