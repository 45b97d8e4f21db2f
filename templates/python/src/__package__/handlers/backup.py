"""Nightly export of the whole table to the bucket as backups/<date>.json.

A readable copy next to the table's own backups (point-in-time recovery in staging and prod): it
survives a deleted table and diffs in a text editor. For tables too large for one invocation's
memory, switch to DynamoDB's export to S3.
"""
from datetime import datetime, timezone

from .. import aws
from ..common import logger, now_iso, setting, to_json


def handler(event, context):
    # The schedule's own time, so a retried run overwrites the same day's file instead of adding one.
    date = (event.get("time") or datetime.now(timezone.utc).isoformat())[:10]
    items = scan_all()
    key = f"backups/{date}.json"
    aws.get("s3").put_object(
        Bucket=setting("BUCKET_NAME"),
        Key=key,
        Body=to_json({"table": setting("TABLE_NAME"), "exportedAt": now_iso(), "count": len(items), "items": items}).encode(),
        ContentType="application/json",
    )
    logger.info("exported %d items to %s", len(items), key)
    return {"key": key, "count": len(items)}


def scan_all():
    """Every item, following LastEvaluatedKey: one Scan call returns at most 1 MB."""
    table = aws.get("table")
    items, params = [], {}
    while True:
        page = table.scan(**params)
        items.extend(page.get("Items", []))
        if not page.get("LastEvaluatedKey"):
            return items
        params["ExclusiveStartKey"] = page["LastEvaluatedKey"]
