/**
 * The three OpenSearch Serverless policy documents of the stage's collection, as plain objects
 * (values may be CDK tokens; the stack serializes them with `toJsonString`). Kept apart from the
 * constructs so their contents read, and test, as the JSON AWS receives.
 */

const collectionRule = (collection: string) => ({ ResourceType: 'collection', Resource: [`collection/${collection}`] });

/**
 * Encryption at rest with the stage's customer managed KMS key: OpenSearch Serverless accepts one
 * (`AWSOwnedKey: false` plus `KmsARN`), so the collection is encrypted like the table and bucket.
 */
export function encryptionPolicy(collection: string, keyArn: string) {
  return { Rules: [collectionRule(collection)], AWSOwnedKey: false, KmsARN: keyArn };
}

/**
 * Network access only through the stage's OpenSearch Serverless VPC endpoint: no public access to
 * the collection's API, and no rule for dashboards, so they are not reachable at all.
 */
export function networkPolicy(collection: string, vpcEndpointId: string) {
  return [
    {
      Description: `Collection ${collection}: only from the stage VPC endpoint`,
      Rules: [collectionRule(collection)],
      AllowFromPublic: false,
      SourceVPCEs: [vpcEndpointId],
    },
  ];
}

/** What the search role may do inside the collection: manage its own indexes and their documents. */
export const COLLECTION_PERMISSIONS = ['aoss:CreateCollectionItems', 'aoss:DescribeCollectionItems', 'aoss:UpdateCollectionItems'];
export const INDEX_PERMISSIONS = [
  'aoss:CreateIndex',
  'aoss:DeleteIndex',
  'aoss:DescribeIndex',
  'aoss:UpdateIndex',
  'aoss:ReadDocument',
  'aoss:WriteDocument',
];

/**
 * Data access for one principal, the stage's search role. The functions' own roles belong to a
 * later phase and cannot be named here; they reach the data by assuming that role.
 */
export function dataAccessPolicy(collection: string, principalArn: string) {
  return [
    {
      Description: `Collection ${collection}: indexes and documents, for the stage search role`,
      Rules: [
        { ...collectionRule(collection), Permission: COLLECTION_PERMISSIONS },
        { ResourceType: 'index', Resource: [`index/${collection}/*`], Permission: INDEX_PERMISSIONS },
      ],
      Principal: [principalArn],
    },
  ];
}
