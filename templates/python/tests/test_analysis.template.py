import json
import unittest
from decimal import Decimal
from unittest import mock

from {{package}} import aws
from {{package}}.handlers import analysis
from tests.fakes import ENV, FakeS3, FakeTable


def record(message_id, body):
    return {"messageId": message_id, "body": body if isinstance(body, str) else json.dumps(body)}


@mock.patch.dict("os.environ", ENV)
class AnalysisTest(unittest.TestCase):
    def setUp(self):
        self.table = FakeTable()
        self.s3 = FakeS3({("demo-test-data", "input/run-2.json"): b"[10, 20, 30]"})
        aws.use_fakes(table=self.table, s3=self.s3)

    def test_writes_statistics_to_the_table_and_a_report_to_the_bucket(self):
        result = analysis.handler({"Records": [record("m1", {"id": "run-1", "values": [4, 1, 2.5, 3]})]}, None)
        self.assertEqual(result, {"batchItemFailures": []})
        stored = self.table.items[("ANALYSIS#run-1", "RESULT")]
        self.assertEqual(stored["count"], 4)
        self.assertEqual((stored["min"], stored["max"], stored["sum"]), (Decimal(1), Decimal(4), Decimal("10.5")))
        self.assertEqual(stored["median"], Decimal("2.75"))
        put = self.s3.puts[0]
        self.assertEqual((put["Bucket"], put["Key"]), (ENV["BUCKET_NAME"], "analysis/run-1.json"))
        self.assertEqual(json.loads(put["Body"])["statistics"]["mean"], 2.625)

    def test_reads_values_from_the_bucket(self):
        analysis.handler({"Records": [record("m2", {"id": "run-2", "s3Key": "input/run-2.json"})]}, None)
        self.assertEqual(self.table.items[("ANALYSIS#run-2", "RESULT")]["mean"], Decimal(20))

    def test_reports_only_the_failed_messages(self):
        event = {
            "Records": [
                record("ok", {"values": [1]}),
                record("bad-json", "{"),
                record("no-values", {"id": "x"}),
                record("not-numbers", {"values": [1, "two", True]}),
                record("bad-id", {"id": "../etc", "values": [1]}),
            ]
        }
        result = analysis.handler(event, None)
        self.assertEqual([f["itemIdentifier"] for f in result["batchItemFailures"]], ["bad-json", "no-values", "not-numbers", "bad-id"])
        # The message without an id is stored under its message id.
        self.assertEqual(list(self.table.items), [("ANALYSIS#ok", "RESULT")])


if __name__ == "__main__":
    unittest.main()
