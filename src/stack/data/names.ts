import { Spec3Error } from '../../errors.js';
import { CONFIG_FILE } from '../../config/load.js';
import { prefix, type NameScope } from '../naming.js';

/**
 * OpenSearch Serverless names (collection, security and access policies, VPC endpoint): 3 to 32
 * characters, lowercase letters, digits and hyphens, starting with a letter.
 */
const SEARCH_NAME = /^[a-z][a-z0-9-]{2,31}$/;

/**
 * Neptune identifiers: a letter first, then letters, digits and hyphens, at most 63 characters,
 * never two hyphens in a row nor one at the end.
 */
const NEPTUNE_IDENTIFIER = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;

/**
 * The one name of the stage's search collection, `<project>-<stage>`. Each OpenSearch Serverless
 * policy type and the VPC endpoints have their own name space, so they all share it.
 */
export function searchName(scope: NameScope): string {
  const name = prefix(scope);
  if (!SEARCH_NAME.test(name)) {
    throw new Spec3Error(
      'CONFIG_INVALID',
      `${CONFIG_FILE}: features.search: the collection name "${name}" (<project>-<stage>) breaks OpenSearch Serverless's rule: 3 to 32 lowercase letters, digits and hyphens, starting with a letter.`,
      'Shorten "project" or the stage name so that together they fit 32 characters.',
    );
  }
  return name;
}

/** The Neptune cluster identifier, `<project>-<stage>-graph`; instances add `-1`, `-2`, ... */
export function graphName(scope: NameScope): string {
  const name = `${prefix(scope)}-graph`;
  if (!NEPTUNE_IDENTIFIER.test(`${name}-16`)) {
    throw new Spec3Error(
      'CONFIG_INVALID',
      `${CONFIG_FILE}: features.graph: the cluster identifier "${name}" breaks Neptune's rule: letters, digits and single hyphens, at most 63 characters.`,
      'Use a "project" without two hyphens in a row.',
    );
  }
  return name;
}

/**
 * The parameter group family of a Neptune engine version: `neptune1` up to engine 1.1, then one
 * family per minor line (`neptune1.2`, `neptune1.3`, ...).
 */
export function graphParameterFamily(engineVersion: string): string {
  const [major, minor] = engineVersion.split('.').map(Number) as [number, number];
  return major === 1 && minor < 2 ? 'neptune1' : `neptune${major}.${minor}`;
}
