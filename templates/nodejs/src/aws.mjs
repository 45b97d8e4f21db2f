// AWS clients for the handlers, created on first use and kept for warm invocations.
// The AWS SDK v3 ships with the Lambda Node.js runtime but is imported lazily, only here, so the
// handler modules load without it: the tests run on plain Node and swap in fakes with useFakes().
// The aggregated clients (S3, SQS, ...) have one method per API call, which keeps fakes simple.
const clients = new Map();

const factories = {
  // The project's table through the document client: plain JavaScript values in and out.
  async table() {
    const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
    const { DynamoDBDocument } = await import('@aws-sdk/lib-dynamodb');
    return DynamoDBDocument.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
  },
  async dynamodb() {
    const { DynamoDB } = await import('@aws-sdk/client-dynamodb');
    return new DynamoDB({});
  },
  async s3() {
    const { S3 } = await import('@aws-sdk/client-s3');
    return new S3({});
  },
  async sqs() {
    const { SQS } = await import('@aws-sdk/client-sqs');
    return new SQS({});
  },
  async sns() {
    const { SNS } = await import('@aws-sdk/client-sns');
    return new SNS({});
  },
};

/** "table" (document client), "dynamodb", "s3", "sqs" or "sns". */
export async function aws(name) {
  if (!clients.has(name)) {
    const create = factories[name];
    if (!create) throw new Error(`unknown AWS client "${name}"`);
    clients.set(name, await create());
  }
  return clients.get(name);
}

/** For tests: forget every client and answer aws(name) with fakes[name] instead. */
export function useFakes(fakes) {
  clients.clear();
  for (const [name, fake] of Object.entries(fakes)) clients.set(name, fake);
}
