// Checks every 5 minutes that the table and the work queue answer; alerts the topic when not.
// Publishing to the alert topic is the alarm, so a failed check does not also fail the invocation
// (that would page twice). The checks are returned, which shows them in test invocations.
import { aws } from '../aws.mjs';
import { nowIso, setting } from '../common.mjs';

const HEALTHY_TABLE = ['ACTIVE', 'UPDATING'];

export async function handler() {
  const checks = [await runCheck('table', checkTable), await runCheck('queue', checkQueue)];
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) await alert(failed);
  return { healthy: failed.length === 0, checks };
}

async function runCheck(name, check) {
  try {
    return { name, ok: true, ...(await check()) };
  } catch (error) {
    // Whatever broke, reporting it is this function's job.
    console.warn(`health check ${name} failed: ${error.message}`);
    return { name, ok: false, error: `${error.name}: ${error.message}` };
  }
}

async function checkTable() {
  const dynamodb = await aws('dynamodb');
  const { Table } = await dynamodb.describeTable({ TableName: setting('TABLE_NAME') });
  if (!HEALTHY_TABLE.includes(Table.TableStatus)) throw new Error(`table status is ${Table.TableStatus}`);
  return { status: Table.TableStatus };
}

async function checkQueue() {
  const sqs = await aws('sqs');
  const { Attributes = {} } = await sqs.getQueueAttributes({
    QueueUrl: setting('QUEUE_URL'),
    AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
  });
  return {
    waiting: Number(Attributes.ApproximateNumberOfMessages ?? 0),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible ?? 0),
  };
}

async function alert(failed) {
  const project = process.env.PROJECT ?? '?';
  const stage = process.env.STAGE ?? '?';
  const names = failed.map((c) => c.name).join(', ');
  const sns = await aws('sns');
  await sns.publish({
    TopicArn: setting('TOPIC_ARN'),
    Subject: `${project}/${stage}: health check failed (${names})`.slice(0, 100), // SNS allows 100 characters
    Message: JSON.stringify({ project, stage, at: nowIso(), failed }),
  });
}
