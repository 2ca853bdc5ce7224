"""`carequartier-dlq redrive <topic>`: the operator's command to re-drive a DLQ."""

import argparse
import asyncio
import sys

from cq_shared.messaging.redrive import redrive
from cq_shared.settings import KafkaSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="carequartier-dlq", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    redrive_cmd = commands.add_parser("redrive", help="move <topic>.dlq back to <topic>")
    redrive_cmd.add_argument("topic", help="the source topic, e.g. intake.cases")
    redrive_cmd.add_argument("--limit", type=int, default=None, help="at most this many records")
    redrive_cmd.add_argument(
        "--bootstrap-servers", default=None, help="overrides CQ_KAFKA_BOOTSTRAP_SERVERS"
    )
    args = parser.parse_args(argv)
    settings = KafkaSettings()
    if args.bootstrap_servers:
        settings = settings.model_copy(update={"bootstrap_servers": args.bootstrap_servers})
    result = asyncio.run(redrive(args.topic, settings, limit=args.limit))
    sys.stdout.write(f"re-drove {result.redriven} record(s) from {args.topic}.dlq\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
