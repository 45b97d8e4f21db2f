"""Analyses work items from the queue: a series of numbers in, statistics out.

A message body is JSON, either {"id": "run-1", "values": [1, 2.5, 4]} or {"id": "run-1",
"s3Key": "input/run-1.json"} naming a JSON array in the bucket. The statistics go to the table
(pk="ANALYSIS#<id>", sk="RESULT") and the full report to the bucket as analysis/<id>.json.
A message that fails is listed in batchItemFailures: only it is retried, and after the queue's
maxReceiveCount it moves to the dead-letter queue instead of blocking the batch.
"""
import json
import re
from decimal import Decimal

from .. import aws
from ..common import logger, now_iso, setting, to_json

WORK_ID = re.compile(r"^[A-Za-z0-9._-]{1,128}$")


def handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            analyse(record)
        except Exception:  # one bad message must not fail (and re-deliver) the whole batch
            logger.exception("message %s failed", record.get("messageId"))
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}


def analyse(record):
    message = json.loads(record["body"], parse_float=Decimal)
    if not isinstance(message, dict):
        raise ValueError("the message must be a JSON object")
    work_id = str(message.get("id") or record["messageId"])
    if not WORK_ID.match(work_id):
        raise ValueError(f"id {work_id!r} must be 1-128 letters, digits, '.', '_' or '-'")
    if "values" in message:
        values = message["values"]
    elif "s3Key" in message:
        values = load_values(message["s3Key"])
    else:
        raise ValueError('the message needs "values" or "s3Key"')
    stats = summarize(values)
    finished = now_iso()
    aws.get("table").put_item(
        Item={"pk": f"ANALYSIS#{work_id}", "sk": "RESULT", "gsi1pk": "ANALYSIS", "gsi1sk": f"{finished}#{work_id}", "finishedAt": finished, **stats}
    )
    aws.get("s3").put_object(
        Bucket=setting("BUCKET_NAME"),
        Key=f"analysis/{work_id}.json",
        Body=to_json({"id": work_id, "finishedAt": finished, "statistics": stats, "values": values}).encode(),
        ContentType="application/json",
    )
    return stats


def load_values(key):
    body = aws.get("s3").get_object(Bucket=setting("BUCKET_NAME"), Key=key)["Body"].read()
    return json.loads(body, parse_float=Decimal)


def summarize(values):
    """count, sum, min, max, mean and median, as Decimal (what DynamoDB stores exactly)."""
    if not isinstance(values, list) or not values:
        raise ValueError("values must be a non-empty list of numbers")
    if any(isinstance(v, bool) or not isinstance(v, (int, Decimal)) for v in values):
        raise ValueError("values must all be numbers")
    ordered = sorted(Decimal(v) for v in values)
    count = len(ordered)
    total = sum(ordered, Decimal(0))
    middle = count // 2
    median = ordered[middle] if count % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return {"count": count, "sum": total, "min": ordered[0], "max": ordered[-1], "mean": total / count, "median": median}
