"""Items API behind the Cognito authorizer; starts the fulfilment workflow for each new item."""

import json
import os

import boto3

_table = boto3.resource("dynamodb").Table(os.environ["TABLE_NAME"])
_workflow = boto3.client("stepfunctions")


def handler(event, context):
    if event.get("httpMethod") == "POST":
        item = json.loads(event.get("body") or "{}")
        _table.put_item(Item={"pk": f"item#{item['id']}", "sk": "item", **item})
        _workflow.start_execution(stateMachineArn=os.environ["FULFILMENT_ARN"], input=json.dumps(item))
        return {"statusCode": 201, "body": json.dumps(item)}
    items = _table.query(KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": "item"})["Items"]
    return {"statusCode": 200, "body": json.dumps(items, default=str)}
