"""Words of an intake request that belong to intake alone (not to the event contract)."""

from enum import StrEnum


class Channel(StrEnum):
    """How the request reached the contact point."""

    PHONE = "phone"
    WALK_IN = "walk_in"
    WEB = "web"
    REFERRAL = "referral"  # a GP, a hospital's discharge management, the municipality


class Relation(StrEnum):
    """A contact's relation to the client."""

    DAUGHTER = "daughter"
    SON = "son"
    SPOUSE = "spouse"
    PARTNER = "partner"
    PARENT = "parent"
    SIBLING = "sibling"
    GRANDCHILD = "grandchild"
    OTHER_RELATIVE = "other_relative"
    FRIEND = "friend"
    NEIGHBOUR = "neighbour"
    LEGAL_REPRESENTATIVE = "legal_representative"  # "rechtliche Betreuung", power of attorney
    OTHER = "other"
