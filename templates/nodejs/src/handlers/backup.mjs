// Nightly export of the whole table to the bucket as backups/<date>.json.
// A readable copy next to the table's own backups (point-in-time recovery in staging and prod): it
// survives a deleted table and diffs in a text editor. For tables too large for one invocation's
// memory, switch to DynamoDB's export to S3.
import { aws } from '../aws.mjs';
import { nowIso, setting } from '../common.mjs';

export async function handler(event) {
  // The schedule's own time, so a retried run overwrites the same day's file instead of adding one.
  const date = (event.time ?? nowIso()).slice(0, 10);
  const items = await scanAll();
  const key = `backups/${date}.json`;
  const s3 = await aws('s3');
  await s3.putObject({
    Bucket: setting('BUCKET_NAME'),
    Key: key,
    Body: JSON.stringify({ table: setting('TABLE_NAME'), exportedAt: nowIso(), count: items.length, items }, setsAsArrays),
    ContentType: 'application/json',
  });
  console.log(`exported ${items.length} items to ${key}`);
  return { key, count: items.length };
}

/** Every item, following LastEvaluatedKey: one Scan call returns at most 1 MB. */
async function scanAll() {
  const table = await aws('table');
  const items = [];
  let ExclusiveStartKey;
  do {
    const page = await table.scan({ TableName: setting('TABLE_NAME'), ExclusiveStartKey });
    items.push(...(page.Items ?? []));
    ExclusiveStartKey = page.LastEvaluatedKey;
  } while (ExclusiveStartKey);
  return items;
}

// The document client returns DynamoDB sets as JavaScript Sets, which JSON.stringify writes as {}.
const setsAsArrays = (_key, value) => (value instanceof Set ? [...value].sort() : value);
