"""The site catalogue is data: the packaged file, or a deployment's own."""

from pathlib import Path

import pytest
from pydantic import ValidationError

from cq_intake.sites import load_sites
from cq_shared.contracts import NeedType


def test_the_packaged_sites_and_their_offers() -> None:
    sites = load_sites()
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
        load_sites(path)
