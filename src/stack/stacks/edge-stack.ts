import { ArnFormat, CfnOutput, aws_logs as logs, aws_wafv2 as wafv2 } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { WEB_ACL_ARN_KEY } from '../edge/attach.js';
import { prefix } from '../naming.js';
import { dataRemovalPolicy } from '../removal.js';
import type { StackHandles } from '../handles.js';
import { Spec3Stack, type StackInput } from '../spec3-stack.js';

/**
 * Requests one client IP may make in five minutes before WAF blocks it for a while. 2000 per five
 * minutes is about 7 a second, sustained: far above what one person's browser or a well-behaved
 * integration sends, low enough to stop a single host flooding the API or the load balancer.
 */
export const RATE_LIMIT_PER_IP = 2000;
/** The window the rate limit counts over, in seconds (WAF's default and most common choice). */
export const RATE_LIMIT_WINDOW_SECONDS = 300;

/** AWS managed rule groups every web ACL carries, in evaluation order. */
export const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet'] as const;

/** Request headers WAF logs as REDACTED: they carry callers' credentials. */
export const REDACTED_HEADERS = ['authorization', 'cookie', 'x-api-key'] as const;

/** WAF only delivers logs to CloudWatch log groups whose names start with this. */
export const WAF_LOG_GROUP_PREFIX = 'aws-waf-logs-';

/**
 * Phase foundation, in stages with `waf`. One regional WAFv2 web ACL per stage: AWS's common and
 * known-bad-inputs rule groups plus a per-IP rate limit, with metrics, sampled requests and full
 * logs to CloudWatch. Stacks of the app phase attach it to what they expose (the REST API stage,
 * the load balancer) through `attachWebAcl`, reading the ARN this stack publishes.
 */
export class EdgeStack extends Spec3Stack {
  readonly handles: StackHandles['edge'];

  constructor(scope: Construct, input: StackInput) {
    super(scope, 'edge', input, 'WAF web ACL');
    const { stage } = input;
    const name = prefix({ project: stage.project, stage: stage.name });
    const metric = (suffix: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName: `${name}-${suffix}`,
    });

    const managedRules = MANAGED_RULE_GROUPS.map(
      (group, priority): wafv2.CfnWebACL.RuleProperty => ({
        name: `AWS-${group}`,
        priority,
        // `none` keeps each rule group's own actions (block); `count` would only observe.
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
        visibilityConfig: metric(group),
      }),
    );
    const rateLimit: wafv2.CfnWebACL.RuleProperty = {
      name: 'RateLimitPerIp',
      priority: managedRules.length,
      action: { block: {} },
      statement: {
        rateBasedStatement: { limit: RATE_LIMIT_PER_IP, evaluationWindowSec: RATE_LIMIT_WINDOW_SECONDS, aggregateKeyType: 'IP' },
      },
      visibilityConfig: metric('rate-limit'),
    };

    const acl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      description: `Protects the ${name} API and load balancer`,
      // REGIONAL: API Gateway stages and load balancers; CLOUDFRONT would need us-east-1.
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      rules: [...managedRules, rateLimit],
      visibilityConfig: metric('web-acl'),
    });

    // Every request WAF evaluates, kept like the stage's other logs, to see what was blocked and why.
    const logGroupName = `${WAF_LOG_GROUP_PREFIX}${name}`;
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName,
      retention: stage.logRetentionDays as logs.RetentionDays,
      removalPolicy: dataRemovalPolicy(stage),
    });
    const logging = new wafv2.CfnLoggingConfiguration(this, 'Logging', {
      resourceArn: acl.attrArn,
      // Credentials callers send stay out of the logs: WAF logs every header otherwise.
      redactedFields: REDACTED_HEADERS.map((name) => ({ singleHeader: { Name: name } })),
      // WAF wants the log group's ARN without the `:*` suffix that LogGroup.logGroupArn carries.
      logDestinationConfigs: [
        this.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      ],
    });
    logging.node.addDependency(logGroup);

    this.wiring.publish(this, WEB_ACL_ARN_KEY, acl.attrArn, `ARN of the ${name} WAF web ACL, attached by the API and service stacks`);
    new CfnOutput(this, 'WebAclArn', { value: acl.attrArn, description: 'WAF web ACL of the stage' });
    this.handles = { webAcl: acl, logGroup };
  }
}
