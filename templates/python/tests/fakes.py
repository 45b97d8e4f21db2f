"""In-memory stand-ins for the boto3 clients the handlers use. Each records its calls, and each
understands exactly the requests the handlers make (anything else fails loudly)."""
import io

# What spec3 sets on every function; tests patch os.environ with it.
ENV = {
    "STAGE": "test",
    "PROJECT": "demo",
    "TABLE_NAME": "demo-test-table",
    "BUCKET_NAME": "demo-test-data",
    "QUEUE_URL": "https://sqs.us-east-1.amazonaws.com/123456789012/demo-test-work",
    "TOPIC_ARN": "arn:aws:sns:us-east-1:123456789012:demo-test-alerts",
}


class ConditionalCheckFailed(Exception):
    pass


class FakeTable:
    """A DynamoDB Table resource over a dict keyed by (pk, sk)."""

    def __init__(self, items=()):
        self.items = {(i["pk"], i["sk"]): dict(i) for i in items}
        self.calls = []

    def put_item(self, Item, ConditionExpression=None):
        self.calls.append(("put_item", Item))
        key = (Item["pk"], Item["sk"])
        if ConditionExpression == "attribute_not_exists(pk)" and key in self.items:
            raise ConditionalCheckFailed(key)
        assert ConditionExpression in (None, "attribute_not_exists(pk)"), ConditionExpression
        self.items[key] = dict(Item)

    def get_item(self, Key):
        item = self.items.get((Key["pk"], Key["sk"]))
        return {"Item": dict(item)} if item else {}

    def query(self, IndexName, KeyConditionExpression, ExpressionAttributeValues, ScanIndexForward=True, Limit=None, ExclusiveStartKey=None):
        assert (IndexName, KeyConditionExpression) == ("gsi1", "gsi1pk = :pk"), (IndexName, KeyConditionExpression)
        matches = [i for i in self.items.values() if i.get("gsi1pk") == ExpressionAttributeValues[":pk"]]
        matches.sort(key=lambda i: i["gsi1sk"], reverse=not ScanIndexForward)
        return self._page(matches, Limit, ExclusiveStartKey, ("pk", "sk", "gsi1pk", "gsi1sk"))

    # Real scans stop at 1 MB; tiny pages make every test exercise the LastEvaluatedKey loop.
    scan_page_size = 2

    def scan(self, ExclusiveStartKey=None):
        items = sorted(self.items.values(), key=lambda i: (i["pk"], i["sk"]))
        return self._page(items, self.scan_page_size, ExclusiveStartKey, ("pk", "sk"))

    @staticmethod
    def _page(items, limit, start, key_fields):
        if start:
            position = next(n for n, i in enumerate(items) if (i["pk"], i["sk"]) == (start["pk"], start["sk"]))
            items = items[position + 1 :]
        page = items[:limit] if limit else items
        result = {"Items": [dict(i) for i in page]}
        if limit and len(items) > limit:
            result["LastEvaluatedKey"] = {f: page[-1][f] for f in key_fields}
        return result


class FakeBody:
    """botocore's StreamingBody: read() and iter_lines()."""

    def __init__(self, data):
        self._stream = io.BytesIO(data)

    def read(self, size=-1):
        return self._stream.read(size)

    def iter_lines(self):
        for line in self._stream.read().splitlines():
            yield line


class FakeS3:
    def __init__(self, objects=None):
        self.objects = dict(objects or {})  # (bucket, key) -> bytes
        self.puts = []

    def get_object(self, Bucket, Key):
        if (Bucket, Key) not in self.objects:
            raise KeyError(f"NoSuchKey: s3://{Bucket}/{Key}")
        return {"Body": FakeBody(self.objects[(Bucket, Key)])}

    def put_object(self, Bucket, Key, Body, ContentType=None):
        self.puts.append({"Bucket": Bucket, "Key": Key, "Body": Body, "ContentType": ContentType})
        self.objects[(Bucket, Key)] = Body
