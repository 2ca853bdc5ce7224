"""HTTP concerns every service shares: RFC 9457 problem details for errors."""
