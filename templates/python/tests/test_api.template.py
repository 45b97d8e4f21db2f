import base64
import json
import unittest
from unittest import mock

from {{package}} import aws
from {{package}}.handlers import api
from tests.fakes import ENV, FakeTable


def rest_event(method, item_id=None, body=None, query=None):
    """An API Gateway REST API (payload v1) event."""
    return {
        "httpMethod": method,
        "pathParameters": {"id": item_id} if item_id else None,
        "queryStringParameters": query,
        "body": body,
        "isBase64Encoded": False,
    }


def http_event(method, item_id=None, body=None):
    """An API Gateway HTTP API (payload v2) event."""
    event = {"requestContext": {"http": {"method": method}}, "body": body}
    if item_id:
        event["pathParameters"] = {"id": item_id}
    return event


@mock.patch.dict("os.environ", ENV)
class ApiTest(unittest.TestCase):
    def setUp(self):
        self.table = FakeTable()
        aws.use_fakes(table=self.table)

    def call(self, event):
        result = api.handler(event, None)
        return result["statusCode"], json.loads(result["body"])

    def test_post_stores_the_item_and_returns_it(self):
        status, body = self.call(rest_event("POST", body='{"name": "widget", "price": 9.5}'))
        self.assertEqual(status, 201)
        self.assertEqual(body["data"], {"name": "widget", "price": 9.5})
        stored = self.table.items[(body["id"], "ITEM")]
        self.assertEqual(stored["gsi1pk"], "ITEM")
        self.assertTrue(stored["gsi1sk"].startswith(body["createdAt"]))
        self.assertEqual(self.table.calls[0][0], "put_item")

    def test_get_returns_a_stored_item_and_404_otherwise(self):
        _, created = self.call(rest_event("POST", body='{"name": "widget"}'))
        status, body = self.call(rest_event("GET", item_id=created["id"]))
        self.assertEqual((status, body), (200, created))
        status, body = self.call(rest_event("GET", item_id="missing"))
        self.assertEqual(status, 404)
        self.assertIn("missing", body["message"])

    def test_list_pages_newest_first_with_a_cursor(self):
        for n in range(3):
            self.table.put_item(Item={"pk": f"id{n}", "sk": "ITEM", "gsi1pk": "ITEM", "gsi1sk": f"2024-01-0{n + 1}#id{n}", "data": {"n": n}})
        status, first = self.call(rest_event("GET", query={"limit": "2"}))
        self.assertEqual(status, 200)
        self.assertEqual([i["id"] for i in first["items"]], ["id2", "id1"])
        _, second = self.call(rest_event("GET", query={"limit": "2", "cursor": first["cursor"]}))
        self.assertEqual([i["id"] for i in second["items"]], ["id0"])
        self.assertNotIn("cursor", second)

    def test_http_api_events_and_base64_bodies(self):
        body = base64.b64encode(b'{"name": "gadget"}').decode()
        status, created = self.call({**http_event("POST"), "body": body, "isBase64Encoded": True})
        self.assertEqual((status, created["data"]), (201, {"name": "gadget"}))
        status, _ = self.call(http_event("GET", item_id=created["id"]))
        self.assertEqual(status, 200)

    def test_bad_requests_are_400_and_store_nothing(self):
        for event in (
            rest_event("POST", body="not json"),
            rest_event("POST", body="[1, 2]"),
            rest_event("GET", query={"limit": "0"}),
            rest_event("GET", query={"cursor": "!!"}),
        ):
            status, body = self.call(event)
            self.assertEqual(status, 400, event)
            self.assertTrue(body["message"])
        self.assertEqual(self.table.items, {})

    def test_other_methods_are_405(self):
        status, _ = self.call(rest_event("DELETE", item_id="x"))
        self.assertEqual(status, 405)


if __name__ == "__main__":
    unittest.main()
