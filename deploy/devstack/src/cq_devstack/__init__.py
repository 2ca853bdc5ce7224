"""Local runtime: real Kafka, PostgreSQL and an SMTP sink, started and stopped by one entry."""
