"""What the handlers share: settings from the environment, JSON for DynamoDB values, timestamps."""
import base64
import json
import logging
import os
from datetime import datetime, timezone
from decimal import Decimal

logger = logging.getLogger(__package__)
logger.setLevel(os.environ.get("LOG_LEVEL", "INFO"))


def setting(name):
    """A value spec3 sets on every function: STAGE, PROJECT, TABLE_NAME, BUCKET_NAME, QUEUE_URL, TOPIC_ARN."""
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(f"environment variable {name} is not set (spec3 sets it on every function)")
    return value


def now_iso():
    """UTC now, e.g. 2024-05-01T03:00:00.123Z; sorts as text, which the table's sort keys rely on."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _default(value):
    # The types the DynamoDB resource API returns that json cannot write by itself.
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode("ascii")
    if isinstance(getattr(value, "value", None), (bytes, bytearray)):  # boto3's Binary
        return base64.b64encode(value.value).decode("ascii")
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def to_json(value):
    return json.dumps(value, default=_default, sort_keys=True)
