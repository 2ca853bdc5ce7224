"""CareQuartier notifications service: consent-aware messages in the recipient's language.

`recipients/` keeps the contact points intake registered, `deliveries/` turns events into
deliveries and sends them, `templating/` holds the texts. See the service's README.md.
"""
