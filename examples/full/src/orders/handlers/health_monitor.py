"""The health-monitor function of the full-feature example."""

import json
import os


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"function": "health-monitor", "stage": os.environ.get("STAGE")})}
