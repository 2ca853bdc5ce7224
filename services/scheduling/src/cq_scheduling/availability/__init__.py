"""Free capacity per day: answered over HTTP and announced on the public availability topic."""
