import { aws_cloudwatch as cw } from 'aws-cdk-lib';
import type { AlarmFactory } from './alarms.js';
import { labelled, metricsOf, type RequestMetrics } from './metrics.js';

/** What the service stack publishes for monitoring (wiring kind 'service'). */
export interface ServiceNames {
  /** The load balancer's full name, `app/<name>/<id>`, its CloudWatch dimension. */
  readonly loadBalancer: string;
  /** The target group's full name, `targetgroup/<name>/<id>`. */
  readonly targetGroup: string;
  readonly cluster: string;
  readonly service: string;
}

export interface ServiceRow {
  readonly widgets: cw.IWidget[];
  readonly slo: RequestMetrics;
}

/** CPU share at which the service is taken to be out of headroom (auto scaling aims lower). */
const CPU_ALARM_PERCENT = 85;
/** Target 5xx in five minutes that page, as for the API. */
const TARGET_5XX_ALARM = 5;

/**
 * The container service behind its load balancer: requests, target 4xx/5xx and load balancer 5xx,
 * p99 response time, healthy and unhealthy targets, task CPU and memory; alarms on any unhealthy
 * target, on target 5xx, and on sustained CPU.
 */
export function serviceRow(names: ServiceNames, alarm: AlarmFactory): ServiceRow {
  const lb = metricsOf('AWS/ApplicationELB', { LoadBalancer: names.loadBalancer });
  // Host counts are reported per target group, and only with both dimensions.
  const targets = metricsOf('AWS/ApplicationELB', { LoadBalancer: names.loadBalancer, TargetGroup: names.targetGroup });
  const ecs = metricsOf('AWS/ECS', { ClusterName: names.cluster, ServiceName: names.service });

  const requests = lb('RequestCount', 'Sum');
  const target5xx = lb('HTTPCode_Target_5XX_Count', 'Sum');
  const unhealthy = targets('UnHealthyHostCount', 'Maximum');
  const cpu = ecs('CPUUtilization', 'Average');
  const alarms = [
    alarm('service-unhealthy-hosts', { metric: unhealthy, threshold: 1, description: 'A target of the load balancer fails its health check' }),
    alarm('service-target-5xx', { metric: target5xx, threshold: TARGET_5XX_ALARM, description: 'The container service is returning server errors' }),
    // Three periods: a scale-out takes minutes, and a short spike while it happens is expected.
    alarm('service-cpu', {
      metric: cpu,
      threshold: CPU_ALARM_PERCENT,
      evaluationPeriods: 3,
      description: `The container service has run at ${CPU_ALARM_PERCENT}%+ CPU for 15 minutes; auto scaling is not keeping up`,
    }),
  ];
  const widgets = [
    new cw.GraphWidget({
      title: 'Load balancer requests and errors',
      left: [labelled(requests, 'requests')],
      right: [
        labelled(lb('HTTPCode_Target_4XX_Count', 'Sum'), 'target 4xx'),
        labelled(target5xx, 'target 5xx'),
        labelled(lb('HTTPCode_ELB_5XX_Count', 'Sum'), 'load balancer 5xx'),
      ],
      width: 8,
    }),
    new cw.GraphWidget({ title: 'Load balancer response time p99 (s)', left: [labelled(lb('TargetResponseTime', 'p99'), 'p99')], width: 8 }),
    new cw.GraphWidget({ title: 'Targets healthy and unhealthy', left: [labelled(targets('HealthyHostCount', 'Minimum'), 'healthy'), labelled(unhealthy, 'unhealthy')], width: 8 }),
    new cw.GraphWidget({
      title: 'Service CPU and memory (%)',
      left: [labelled(cpu, 'CPU %'), labelled(ecs('MemoryUtilization', 'Average'), 'memory %')],
      leftAnnotations: [{ value: CPU_ALARM_PERCENT, label: 'CPU alarm' }],
      leftYAxis: { min: 0, max: 100 },
      width: 12,
    }),
    new cw.AlarmStatusWidget({ title: 'Service alarms', alarms, width: 12 }),
  ];
  return { widgets, slo: { source: 'lb', requests, serverErrors: target5xx } };
}
