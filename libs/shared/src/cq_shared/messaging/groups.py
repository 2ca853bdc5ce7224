"""Consumer group names: `<service>.<deployment prefix><purpose>`.

The service name comes first so that one prefixed ACL (`<service>.`) covers every group the
service may use, whatever the deployment's prefix (docs/decisions/0016); the prefix
(CQ_MESSAGING_GROUP_PREFIX) still keeps two environments on one broker apart.
"""


def consumer_group(service: str, purpose: str, prefix: str = "") -> str:
    return f"{service}.{prefix}{purpose}"
