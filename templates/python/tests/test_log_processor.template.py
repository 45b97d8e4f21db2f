import gzip
import unittest
from unittest import mock

from {{package}} import aws
from {{package}}.handlers import log_processor
from tests.fakes import ENV, FakeS3, FakeTable

LOG = b"""2024-05-01 INFO started
2024-05-01 ERROR disk full
2024-05-01 WARN retrying
2024-05-01 ERROR gave up
ERRORS=0 is not an error line
"""


def object_created(bucket, key):
    """The EventBridge event S3 sends for a new object (what spec3's s3 trigger delivers)."""
    return {
        "source": "aws.s3",
        "detail-type": "Object Created",
        "detail": {"bucket": {"name": bucket}, "object": {"key": key, "size": len(LOG)}},
    }


@mock.patch.dict("os.environ", ENV)
class LogProcessorTest(unittest.TestCase):
    def setUp(self):
        self.table = FakeTable()
        self.s3 = FakeS3({("demo-test-data", "logs/app.log"): LOG, ("demo-test-data", "logs/app.log.gz"): gzip.compress(LOG)})
        aws.use_fakes(table=self.table, s3=self.s3)

    def test_counts_lines_and_error_lines_and_stores_a_summary(self):
        result = log_processor.handler(object_created("demo-test-data", "logs/app.log"), None)
        self.assertEqual(result, {"key": "logs/app.log", "lines": 5, "errorLines": 2})
        summary = self.table.items[("LOG#logs/app.log", "SUMMARY")]
        self.assertEqual((summary["lines"], summary["errorLines"], summary["bucket"]), (5, 2, "demo-test-data"))
        self.assertEqual(summary["gsi1pk"], "LOG")

    def test_reads_gzipped_logs(self):
        result = log_processor.handler(object_created("demo-test-data", "logs/app.log.gz"), None)
        self.assertEqual((result["lines"], result["errorLines"]), (5, 2))

    def test_a_missing_object_fails_the_invocation_so_it_is_retried(self):
        with self.assertRaises(KeyError):
            log_processor.handler(object_created("demo-test-data", "logs/gone.log"), None)
        self.assertEqual(self.table.items, {})


if __name__ == "__main__":
    unittest.main()
