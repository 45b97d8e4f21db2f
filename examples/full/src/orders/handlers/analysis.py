"""The analysis function of the full-feature example."""

import json
import os


def handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"function": "analysis", "stage": os.environ.get("STAGE")})}
