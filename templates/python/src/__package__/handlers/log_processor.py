"""Summarises each log file written under logs/ in the project's bucket: lines and ERROR lines.

S3 triggers reach spec3 functions through EventBridge ("Object Created" events), so the object is
named by detail.bucket.name and detail.object.key. The summary goes to the table as
pk="LOG#<key>", sk="SUMMARY", listed newest first through gsi1 (gsi1pk="LOG").
"""
import gzip
import re

from .. import aws
from ..common import logger, now_iso

ERROR = re.compile(rb"\bERROR\b")


def handler(event, context):
    detail = event["detail"]
    bucket = detail["bucket"]["name"]
    key = detail["object"]["key"]
    body = aws.get("s3").get_object(Bucket=bucket, Key=key)["Body"]
    # Line by line from the stream: a log file may be larger than the function's memory.
    lines = gzip.GzipFile(fileobj=body) if key.endswith(".gz") else body.iter_lines()
    total = errors = 0
    for line in lines:
        total += 1
        if ERROR.search(line):
            errors += 1
    processed = now_iso()
    aws.get("table").put_item(
        Item={
            "pk": f"LOG#{key}",
            "sk": "SUMMARY",
            "gsi1pk": "LOG",
            "gsi1sk": f"{processed}#{key}",
            "bucket": bucket,
            "key": key,
            "lines": total,
            "errorLines": errors,
            "processedAt": processed,
        }
    )
    logger.info("%s: %d lines, %d with ERROR", key, total, errors)
    return {"key": key, "lines": total, "errorLines": errors}
