"""Items API behind API Gateway: GET /items, POST /items, GET /items/{id}.

An item is stored as pk=<id>, sk="ITEM". The index gsi1 (gsi1pk="ITEM", gsi1sk="<created>#<id>")
lists items newest first with a Query, never a Scan. Accepts REST API (v1) and HTTP API (v2) events.
"""
import base64
import binascii
import json
import uuid
from decimal import Decimal

from .. import aws
from ..common import logger, now_iso, to_json

ITEM = "ITEM"
DEFAULT_LIMIT = 25
MAX_LIMIT = 100


class BadRequest(Exception):
    """The request is wrong; answered with 400 and this message."""


def handler(event, context):
    method = event.get("httpMethod") or event.get("requestContext", {}).get("http", {}).get("method", "")
    item_id = (event.get("pathParameters") or {}).get("id")
    try:
        if method == "GET" and item_id is None:
            return list_items(event.get("queryStringParameters") or {})
        if method == "POST" and item_id is None:
            return create_item(json_body(event))
        if method == "GET":
            return get_item(item_id)
        return response(405, {"message": f"{method} is not supported here"})
    except BadRequest as error:
        return response(400, {"message": str(error)})


def create_item(data):
    item_id = str(uuid.uuid4())
    created = now_iso()
    item = {"pk": item_id, "sk": ITEM, "gsi1pk": ITEM, "gsi1sk": f"{created}#{item_id}", "createdAt": created, "data": data}
    # The condition turns the (astronomically unlikely) id collision into an error, not an overwrite.
    aws.get("table").put_item(Item=item, ConditionExpression="attribute_not_exists(pk)")
    logger.info("created item %s", item_id)
    return response(201, public(item))


def get_item(item_id):
    item = aws.get("table").get_item(Key={"pk": item_id, "sk": ITEM}).get("Item")
    if item is None:
        return response(404, {"message": f"item {item_id} not found"})
    return response(200, public(item))


def list_items(query):
    params = {
        "IndexName": "gsi1",
        "KeyConditionExpression": "gsi1pk = :pk",
        "ExpressionAttributeValues": {":pk": ITEM},
        "ScanIndexForward": False,
        "Limit": parse_limit(query.get("limit")),
    }
    if query.get("cursor"):
        params["ExclusiveStartKey"] = decode_cursor(query["cursor"])
    page = aws.get("table").query(**params)
    body = {"items": [public(item) for item in page.get("Items", [])]}
    if page.get("LastEvaluatedKey"):
        body["cursor"] = encode_cursor(page["LastEvaluatedKey"])
    return response(200, body)


def json_body(event):
    raw = event.get("body") or ""
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        # Decimal, not float: the DynamoDB resource API refuses floats.
        body = json.loads(raw, parse_float=Decimal)
    except ValueError:
        raise BadRequest("the body must be JSON") from None
    if not isinstance(body, dict):
        raise BadRequest("the body must be a JSON object")
    return body


def parse_limit(raw):
    if raw is None:
        return DEFAULT_LIMIT
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise BadRequest(f"limit must be a whole number from 1 to {MAX_LIMIT}")
    return int(raw)


def encode_cursor(key):
    """The page's last key as an opaque, URL-safe token for the next request."""
    return base64.urlsafe_b64encode(json.dumps(key, sort_keys=True).encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        raise BadRequest("invalid cursor") from None
    if not isinstance(key, dict) or not all(isinstance(v, str) for v in key.values()):
        raise BadRequest("invalid cursor")
    return key


def public(item):
    """What clients see of an item: no table keys."""
    return {"id": item["pk"], "createdAt": item.get("createdAt"), "data": item.get("data", {})}


def response(status, body):
    return {"statusCode": status, "headers": {"content-type": "application/json"}, "body": to_json(body)}
