import json
import unittest
from unittest import mock

from {{package}} import aws
from {{package}}.handlers import health_monitor
from tests.fakes import ENV


@mock.patch.dict("os.environ", ENV)
class HealthMonitorTest(unittest.TestCase):
    def setUp(self):
        self.dynamodb = mock.Mock()
        self.dynamodb.describe_table.return_value = {"Table": {"TableStatus": "ACTIVE"}}
        self.sqs = mock.Mock()
        self.sqs.get_queue_attributes.return_value = {
            "Attributes": {"ApproximateNumberOfMessages": "3", "ApproximateNumberOfMessagesNotVisible": "1"}
        }
        self.sns = mock.Mock()
        aws.use_fakes(dynamodb=self.dynamodb, sqs=self.sqs, sns=self.sns)

    def test_healthy_reports_checks_and_does_not_alert(self):
        result = health_monitor.handler({}, None)
        self.assertTrue(result["healthy"])
        self.assertEqual(result["checks"][1], {"name": "queue", "ok": True, "waiting": 3, "inFlight": 1})
        self.dynamodb.describe_table.assert_called_once_with(TableName=ENV["TABLE_NAME"])
        self.assertEqual(self.sqs.get_queue_attributes.call_args.kwargs["QueueUrl"], ENV["QUEUE_URL"])
        self.sns.publish.assert_not_called()

    def test_an_unreachable_queue_alerts_the_topic(self):
        self.sqs.get_queue_attributes.side_effect = ConnectionError("timed out")
        result = health_monitor.handler({}, None)
        self.assertFalse(result["healthy"])
        self.sns.publish.assert_called_once()
        sent = self.sns.publish.call_args.kwargs
        self.assertEqual(sent["TopicArn"], ENV["TOPIC_ARN"])
        self.assertIn("queue", sent["Subject"])
        self.assertLessEqual(len(sent["Subject"]), 100)
        message = json.loads(sent["Message"])
        self.assertEqual([c["name"] for c in message["failed"]], ["queue"])
        self.assertIn("timed out", message["failed"][0]["error"])

    def test_a_table_that_is_not_active_alerts(self):
        self.dynamodb.describe_table.return_value = {"Table": {"TableStatus": "DELETING"}}
        result = health_monitor.handler({}, None)
        self.assertEqual([c["ok"] for c in result["checks"]], [False, True])
        self.assertIn("DELETING", result["checks"][0]["error"])
        self.sns.publish.assert_called_once()


if __name__ == "__main__":
    unittest.main()
