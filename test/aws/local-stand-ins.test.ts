import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCAL_STAND_INS, standInMessage, standInTypes } from '../../src/aws/local-stand-ins.js';

describe('standInTypes', () => {
  const serviceStack = {
    Resources: {
      Acl: { Type: 'AWS::WAFv2::WebACL' },
      Queue: { Type: 'AWS::SQS::Queue' },
      Secret: { Type: 'AWS::SecretsManager::Secret' },
      Another: { Type: 'AWS::WAFv2::WebACL' },
    },
  };

  it('names each stood-in type once, in the order of the list, from objects and JSON text alike', () => {
    const graph = JSON.stringify({ Resources: { Graph: { Type: 'AWS::Neptune::DBCluster' }, Table: { Type: 'AWS::DynamoDB::Table' } } });
    expect(standInTypes([graph, serviceStack])).toEqual(['AWS::WAFv2::WebACL', 'AWS::SecretsManager::Secret', 'AWS::Neptune::DBCluster']);
  });

  it('finds nothing in templates of emulated types only, or without resources', () => {
    expect(standInTypes([{ Resources: { Queue: { Type: 'AWS::SQS::Queue' } } }, {}, '{}'])).toEqual([]);
  });

  it('leaves out types moto emulates, and the ones it lacks that are handled elsewhere', () => {
    for (const emulated of ['AWS::ECS::Service', 'AWS::ElasticLoadBalancingV2::LoadBalancer', 'AWS::CloudWatch::Alarm', 'AWS::Lambda::Alias']) {
      expect(LOCAL_STAND_INS).not.toContain(emulated);
    }
  });
});

describe('standInMessage', () => {
  it('names the types and what standing in means', () => {
    expect(standInMessage(['AWS::WAFv2::WebACL', 'AWS::SecretsManager::Secret'])).toBe(
      'The local AWS stands in for AWS::WAFv2::WebACL, AWS::SecretsManager::Secret: their wiring deploys, their behaviour is not emulated.',
    );
  });

  it('is silent when nothing is stood in', () => {
    expect(standInMessage([])).toBeUndefined();
  });
});

describe('the list of the local AWS', () => {
  it('is the list of local/patches/placeholders.py', () => {
    const script = 'import json, sys; sys.path.insert(0, sys.argv[1]); from patches.placeholders import STAND_INS; print(json.dumps(list(STAND_INS)))';
    const python = JSON.parse(execFileSync('python3', ['-c', script, path.join(process.cwd(), 'local')], { encoding: 'utf8' })) as string[];
    expect([...LOCAL_STAND_INS].sort()).toEqual([...python].sort());
  });
});
