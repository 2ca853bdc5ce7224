"""The one site catalogue every service reads (see docs/decisions/0011)."""

from cq_shared.sites.catalogue import Site, SiteCatalogue, load_site_catalogue

__all__ = ["Site", "SiteCatalogue", "load_site_catalogue"]
