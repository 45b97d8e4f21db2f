// Summarises each log file written under logs/ in the project's bucket: lines and ERROR lines.
// S3 triggers reach spec3 functions through EventBridge ("Object Created" events), so the object is
// named by detail.bucket.name and detail.object.key. The summary goes to the table as
// pk="LOG#<key>", sk="SUMMARY", listed newest first through gsi1 (gsi1pk="LOG").
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { aws } from '../aws.mjs';
import { nowIso, setting } from '../common.mjs';

const ERROR = /\bERROR\b/;

export async function handler(event) {
  const bucket = event.detail.bucket.name;
  const key = event.detail.object.key;
  const s3 = await aws('s3');
  const { Body } = await s3.getObject({ Bucket: bucket, Key: key });
  // Line by line from the stream: a log file may be larger than the function's memory.
  const input = key.endsWith('.gz') ? Body.pipe(createGunzip()) : Body;
  let lines = 0;
  let errorLines = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lines += 1;
    if (ERROR.test(line)) errorLines += 1;
  }
  const processedAt = nowIso();
  const table = await aws('table');
  await table.put({
    TableName: setting('TABLE_NAME'),
    Item: { pk: `LOG#${key}`, sk: 'SUMMARY', gsi1pk: 'LOG', gsi1sk: `${processedAt}#${key}`, bucket, key, lines, errorLines, processedAt },
  });
  console.log(`${key}: ${lines} lines, ${errorLines} with ERROR`);
  return { key, lines, errorLines };
}
