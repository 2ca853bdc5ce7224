"""Webhooks: public events signed and POSTed to the HTTPS endpoints of branches without Kafka
(Standard Webhooks, decision 0017)."""
