"""Deliveries: one message to one recipient about one event, from pending to sent or failed."""
