"""Checks every 5 minutes that the table and the work queue answer; alerts the topic when not.

Publishing to the alert topic is the alarm, so a failed check does not also fail the invocation
(that would page twice). The checks are returned, which shows them in test invocations.
"""
import os

from .. import aws
from ..common import logger, now_iso, setting, to_json

HEALTHY_TABLE = ("ACTIVE", "UPDATING")


def handler(event, context):
    checks = [run_check("table", check_table), run_check("queue", check_queue)]
    failed = [c for c in checks if not c["ok"]]
    if failed:
        alert(failed)
    return {"healthy": not failed, "checks": checks}


def run_check(name, check):
    try:
        return {"name": name, "ok": True, **check()}
    except Exception as error:  # whatever broke, reporting it is this function's job
        logger.warning("health check %s failed: %s", name, error)
        return {"name": name, "ok": False, "error": f"{type(error).__name__}: {error}"}


def check_table():
    status = aws.get("dynamodb").describe_table(TableName=setting("TABLE_NAME"))["Table"]["TableStatus"]
    if status not in HEALTHY_TABLE:
        raise RuntimeError(f"table status is {status}")
    return {"status": status}


def check_queue():
    attributes = aws.get("sqs").get_queue_attributes(
        QueueUrl=setting("QUEUE_URL"),
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return {
        "waiting": int(attributes.get("ApproximateNumberOfMessages", 0)),
        "inFlight": int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
    }


def alert(failed):
    project = os.environ.get("PROJECT", "?")
    stage = os.environ.get("STAGE", "?")
    names = ", ".join(c["name"] for c in failed)
    aws.get("sns").publish(
        TopicArn=setting("TOPIC_ARN"),
        Subject=f"{project}/{stage}: health check failed ({names})"[:100],  # SNS allows 100 characters
        Message=to_json({"project": project, "stage": stage, "at": now_iso(), "failed": failed}),
    )
