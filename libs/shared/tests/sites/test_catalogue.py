"""The one site catalogue is data: the packaged file, or a deployment's own."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from cq_shared.contracts import NeedType
from cq_shared.sites import load_site_catalogue


def test_the_packaged_sites_and_their_offers() -> None:
    sites = load_site_catalogue()
    assert set(sites.sites) == {"muenster", "zwenkau", "kaiserslautern", "koeln-chorweiler"}
    for full in ("kaiserslautern", "koeln-chorweiler"):
        assert sites.sites[full].needs == set(NeedType)
    muenster, zwenkau = sites.sites["muenster"], sites.sites["zwenkau"]
    assert muenster.offers(NeedType.PREVENTION_COURSE)
    assert not muenster.offers(NeedType.SHORT_TERM_CARE)
    assert zwenkau.offers(NeedType.DAY_CARE)
    assert not zwenkau.offers(NeedType.DOCTOR_REFERRAL)


def test_a_site_file_with_an_unknown_need_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text('[sites.bonn]\nname = "Bonn"\nneeds = ["counselling", "massage"]\n')
    with pytest.raises(ValidationError):
        load_site_catalogue(path)


def test_every_packaged_site_has_a_zone_and_runs_the_four_services() -> None:
    sites = load_site_catalogue()
    for site_id, site in sites.sites.items():
        assert site.zone.key == "Europe/Berlin"
        for service in ("intake", "scheduling", "volunteering", "notifications"):
            assert sites.serves(site_id, service)
    assert not sites.serves("bonn", "intake")


def test_a_site_may_run_a_subset_of_the_services_in_its_own_zone(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(
        '[sites.wien]\nname = "Wien"\ntimezone = "Europe/Vienna"\n'
        'services = ["intake", "notifications"]\nneeds = ["counselling"]\n'
    )
    sites = load_site_catalogue(path)
    assert sites.serves("wien", "intake")
    assert not sites.serves("wien", "scheduling")
    assert sites["wien"].zone.key == "Europe/Vienna"


def test_a_site_file_with_an_unknown_time_zone_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sites.toml"
    path.write_text(
        '[sites.bonn]\nname = "Bonn"\ntimezone = "Europe/Bonn"\nneeds = ["counselling"]\n'
    )
    with pytest.raises(ValidationError):
        load_site_catalogue(path)
