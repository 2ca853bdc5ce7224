"""The broker's storage format takes the cluster id as a command-line argument: an id that
starts with "-" is read as an option and the broker never starts (seen once in 64 starts)."""

import base64

from cq_devstack.kafka_broker import _random_cluster_id


def test_cluster_ids_are_kafka_uuids_that_never_look_like_an_option() -> None:
    ids = {_random_cluster_id() for _ in range(5_000)}
    assert len(ids) == 5_000
    for cluster_id in ids:
        assert not cluster_id.startswith("-")
        assert len(base64.urlsafe_b64decode(cluster_id + "==")) == 16
