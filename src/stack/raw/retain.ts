/**
 * Resource types that hold data a stage's users would lose with the resource: in protected and
 * retainData stages, a raw resource of one of these types without its own DeletionPolicy is
 * retained on destroy, as spec3's own table, bucket and key are. Queues and topics are not on the
 * list (spec3 does not keep its own either): what they hold is in flight, not kept.
 */
export const DATA_RESOURCE_TYPES: ReadonlySet<string> = new Set([
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::S3::Bucket',
  'AWS::S3Express::DirectoryBucket',
  'AWS::Logs::LogGroup',
  'AWS::KMS::Key',
  'AWS::Kinesis::Stream',
  'AWS::Cognito::UserPool',
  'AWS::SecretsManager::Secret',
  'AWS::ECR::Repository',
  'AWS::EFS::FileSystem',
  'AWS::FSx::FileSystem',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
  'AWS::DocDB::DBCluster',
  'AWS::Neptune::DBCluster',
  'AWS::Redshift::Cluster',
  'AWS::OpenSearchService::Domain',
  'AWS::OpenSearchServerless::Collection',
  'AWS::Timestream::Database',
  'AWS::Timestream::Table',
  'AWS::Backup::BackupVault',
]);
