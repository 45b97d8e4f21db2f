import json
import unittest
from decimal import Decimal
from unittest import mock

from {{package}} import aws
from {{package}}.handlers import backup
from tests.fakes import ENV, FakeS3, FakeTable


@mock.patch.dict("os.environ", ENV)
class BackupTest(unittest.TestCase):
    def setUp(self):
        items = [{"pk": f"id{n}", "sk": "ITEM", "price": Decimal("9.5"), "tags": {"a", "b"}} for n in range(5)]
        self.table = FakeTable(items)
        self.s3 = FakeS3()
        aws.use_fakes(table=self.table, s3=self.s3)

    def test_exports_every_page_of_the_table_under_the_schedule_date(self):
        result = backup.handler({"time": "2024-05-01T03:00:00Z"}, None)
        self.assertEqual(result, {"key": "backups/2024-05-01.json", "count": 5})
        put = self.s3.puts[0]
        self.assertEqual((put["Bucket"], put["Key"], put["ContentType"]), (ENV["BUCKET_NAME"], "backups/2024-05-01.json", "application/json"))
        export = json.loads(put["Body"])
        self.assertEqual(export["table"], ENV["TABLE_NAME"])
        self.assertEqual([i["pk"] for i in export["items"]], [f"id{n}" for n in range(5)])
        self.assertEqual((export["items"][0]["price"], export["items"][0]["tags"]), (9.5, ["a", "b"]))

    def test_an_empty_table_still_writes_an_export(self):
        aws.use_fakes(table=FakeTable(), s3=self.s3)
        result = backup.handler({}, None)
        self.assertEqual(result["count"], 0)
        self.assertRegex(result["key"], r"^backups/\d{4}-\d{2}-\d{2}\.json$")


if __name__ == "__main__":
    unittest.main()
