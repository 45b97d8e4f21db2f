// Analyses work items from the queue: a series of numbers in, statistics out.
// A message body is JSON, either {"id": "run-1", "values": [1, 2.5, 4]} or {"id": "run-1",
// "s3Key": "input/run-1.json"} naming a JSON array in the bucket. The statistics go to the table
// (pk="ANALYSIS#<id>", sk="RESULT") and the full report to the bucket as analysis/<id>.json.
// A message that fails is listed in batchItemFailures: only it is retried, and after the queue's
// maxReceiveCount it moves to the dead-letter queue instead of blocking the batch.
import { aws } from '../aws.mjs';
import { nowIso, setting } from '../common.mjs';

const WORK_ID = /^[A-Za-z0-9._-]{1,128}$/;

export async function handler(event) {
  const batchItemFailures = [];
  for (const record of event.Records ?? []) {
    try {
      await analyse(record);
    } catch (error) {
      // One bad message must not fail (and re-deliver) the whole batch.
      console.error(`message ${record.messageId} failed: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}

async function analyse(record) {
  const message = JSON.parse(record.body);
  if (typeof message !== 'object' || message === null || Array.isArray(message)) throw new Error('the message must be a JSON object');
  const id = String(message.id || record.messageId);
  if (!WORK_ID.test(id)) throw new Error(`id "${id}" must be 1-128 letters, digits, ".", "_" or "-"`);
  let values;
  if ('values' in message) values = message.values;
  else if ('s3Key' in message) values = await loadValues(message.s3Key);
  else throw new Error('the message needs "values" or "s3Key"');
  const stats = summarize(values);
  const finishedAt = nowIso();
  const table = await aws('table');
  await table.put({
    TableName: setting('TABLE_NAME'),
    Item: { pk: `ANALYSIS#${id}`, sk: 'RESULT', gsi1pk: 'ANALYSIS', gsi1sk: `${finishedAt}#${id}`, finishedAt, ...stats },
  });
  const s3 = await aws('s3');
  await s3.putObject({
    Bucket: setting('BUCKET_NAME'),
    Key: `analysis/${id}.json`,
    Body: JSON.stringify({ id, finishedAt, statistics: stats, values }),
    ContentType: 'application/json',
  });
  return stats;
}

async function loadValues(key) {
  const s3 = await aws('s3');
  const { Body } = await s3.getObject({ Bucket: setting('BUCKET_NAME'), Key: key });
  return JSON.parse(await Body.transformToString());
}

/** count, sum, min, max, mean and median of a non-empty list of numbers. */
export function summarize(values) {
  if (!Array.isArray(values) || values.length === 0) throw new Error('values must be a non-empty list of numbers');
  if (!values.every((v) => typeof v === 'number' && Number.isFinite(v))) throw new Error('values must all be numbers');
  const ordered = [...values].sort((a, b) => a - b);
  const count = ordered.length;
  const sum = ordered.reduce((a, b) => a + b, 0);
  const middle = Math.floor(count / 2);
  const median = count % 2 ? ordered[middle] : (ordered[middle - 1] + ordered[middle]) / 2;
  return { count, sum, min: ordered[0], max: ordered[count - 1], mean: sum / count, median };
}
