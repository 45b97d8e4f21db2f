// In-memory stand-ins for the AWS clients the handlers use. Each records its calls, and each
// understands exactly the requests the handlers make (anything else fails loudly).
import { Readable } from 'node:stream';

// What spec3 sets on every function.
export const ENV = {
  STAGE: 'test',
  PROJECT: 'demo',
  TABLE_NAME: 'demo-test-table',
  BUCKET_NAME: 'demo-test-data',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/demo-test-work',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:123456789012:demo-test-alerts',
};

export function setEnv() {
  Object.assign(process.env, ENV);
}

const keyOf = (item) => `${item.pk}\u0000${item.sk}`;

/** The DynamoDB document client over a Map keyed by (pk, sk). */
export class FakeTable {
  constructor(items = []) {
    this.items = new Map(items.map((i) => [keyOf(i), { ...i }]));
    this.calls = [];
    // Real scans stop at 1 MB; tiny pages make every test exercise the LastEvaluatedKey loop.
    this.scanPageSize = 2;
  }

  async put({ TableName, Item, ConditionExpression }) {
    this.calls.push(['put', TableName, Item]);
    if (ConditionExpression === 'attribute_not_exists(pk)' && this.items.has(keyOf(Item))) throw new Error('ConditionalCheckFailedException');
    if (ConditionExpression !== undefined && ConditionExpression !== 'attribute_not_exists(pk)') throw new Error(`unexpected condition ${ConditionExpression}`);
    this.items.set(keyOf(Item), structuredClone(Item));
  }

  async get({ Key }) {
    const item = this.items.get(keyOf(Key));
    return item ? { Item: structuredClone(item) } : {};
  }

  async query({ IndexName, KeyConditionExpression, ExpressionAttributeValues, ScanIndexForward = true, Limit, ExclusiveStartKey }) {
    if (IndexName !== 'gsi1' || KeyConditionExpression !== 'gsi1pk = :pk') throw new Error(`unexpected query ${IndexName} ${KeyConditionExpression}`);
    const matches = [...this.items.values()]
      .filter((i) => i.gsi1pk === ExpressionAttributeValues[':pk'])
      .sort((a, b) => (a.gsi1sk < b.gsi1sk ? -1 : 1) * (ScanIndexForward ? 1 : -1));
    return page(matches, Limit, ExclusiveStartKey, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
  }

  async scan({ ExclusiveStartKey }) {
    const all = [...this.items.values()].sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    return page(all, this.scanPageSize, ExclusiveStartKey, ['pk', 'sk']);
  }
}

function page(items, limit, start, keyFields) {
  let rest = items;
  if (start) rest = items.slice(items.findIndex((i) => keyOf(i) === keyOf(start)) + 1);
  const taken = limit ? rest.slice(0, limit) : rest;
  const result = { Items: taken.map((i) => structuredClone(i)) };
  if (limit && rest.length > limit) result.LastEvaluatedKey = Object.fromEntries(keyFields.map((f) => [f, taken.at(-1)[f]]));
  return result;
}

/** S3 over a Map keyed by "bucket/key"; bodies are streams with transformToString, like the SDK's. */
export class FakeS3 {
  constructor(objects = {}) {
    this.objects = new Map(Object.entries(objects));
    this.puts = [];
  }

  async getObject({ Bucket, Key }) {
    const data = this.objects.get(`${Bucket}/${Key}`);
    if (data === undefined) throw Object.assign(new Error(`NoSuchKey: s3://${Bucket}/${Key}`), { name: 'NoSuchKey' });
    const Body = Readable.from([Buffer.from(data)]);
    Body.transformToString = async () => Buffer.from(data).toString('utf8');
    return { Body };
  }

  async putObject(params) {
    this.puts.push(params);
    this.objects.set(`${params.Bucket}/${params.Key}`, params.Body);
  }
}

/** A fake whose methods answer with `answers[method]` (a value, or an Error to throw) and record calls. */
export function fakeClient(answers) {
  const calls = [];
  const client = { calls };
  for (const [method, answer] of Object.entries(answers)) {
    client[method] = async (params) => {
      calls.push([method, params]);
      if (answer instanceof Error) throw answer;
      return answer;
    };
  }
  return client;
}
