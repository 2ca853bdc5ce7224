"""Cases: what a person asked for, and how far the network has got with each need."""
