import { Duration, aws_cloudwatch as cw } from 'aws-cdk-lib';
import type { AlarmFactory } from './alarms.js';
import type { RequestMetrics } from './metrics.js';

/**
 * Burn rate at which the fast-burn alarm fires. A burn rate is the error rate divided by the error
 * budget: at 1 the budget lasts exactly the 30-day SLO window. At 14.4 sustained for one hour, 2 % of
 * the 30-day budget is gone in that hour (14.4 x 1 h / 720 h) and all of it within about two days:
 * the page-worthy threshold of the multi-window burn-rate alerts in Google's SRE workbook.
 */
export const FAST_BURN_RATE = 14.4;

const WINDOWS = {
  '5m': Duration.minutes(5),
  '1h': Duration.hours(1),
  '6h': Duration.hours(6),
} as const;
type Window = keyof typeof WINDOWS;

/** The error budget, in percent of requests, of an availability target in percent (99.9 -> 0.1). */
export const errorBudget = (availability: number): number => Number((100 - availability).toFixed(6));

/**
 * Share of requests (percent) that failed with a 5xx over `window`, across every source, as metric
 * math. Missing data counts as zero (a source without traffic fails nothing); no traffic at all
 * gives 0 % rather than a division by zero.
 */
function errorRateTerms(sources: readonly RequestMetrics[], window: Window): { expression: string; usingMetrics: Record<string, cw.IMetric> } {
  const period = WINDOWS[window];
  const usingMetrics: Record<string, cw.IMetric> = {};
  const requests: string[] = [];
  const errors: string[] = [];
  for (const s of sources) {
    const r = `requests_${s.source}_${window}`;
    const e = `errors_${s.source}_${window}`;
    usingMetrics[r] = s.requests.with({ period, label: r });
    usingMetrics[e] = s.serverErrors.with({ period, label: e });
    requests.push(`FILL(${r},0)`);
    errors.push(`FILL(${e},0)`);
  }
  const total = `(${requests.join(' + ')})`;
  const failed = `(${errors.join(' + ')})`;
  return { expression: `IF(${total} > 0, 100 * ${failed} / ${total}, 0)`, usingMetrics };
}

const errorRate = (sources: readonly RequestMetrics[], window: Window): cw.MathExpression =>
  new cw.MathExpression({ ...errorRateTerms(sources, window), label: `error rate % (${window})`, period: WINDOWS[window] });

const availability = (sources: readonly RequestMetrics[], window: Window): cw.MathExpression => {
  const rate = errorRateTerms(sources, window);
  return new cw.MathExpression({ expression: `100 - ${rate.expression}`, usingMetrics: rate.usingMetrics, label: 'availability %', period: WINDOWS[window] });
};

const burnRate = (sources: readonly RequestMetrics[], window: Window, budget: number): cw.MathExpression => {
  const rate = errorRateTerms(sources, window);
  return new cw.MathExpression({ expression: `${rate.expression} / ${budget}`, usingMetrics: rate.usingMetrics, label: `burn rate (${window})`, period: WINDOWS[window] });
};

/**
 * The stage's availability SLO over its request metrics (API 5xx per request, load balancer target
 * 5xx per request): a graph of the error rate against the error budget and of the 1 h and 6 h burn
 * rates, the availability over the dashboard's time range, and a fast-burn alarm. Without request
 * metrics there is nothing to measure, and a text widget says so.
 */
export function sloRow(target: number, sources: readonly RequestMetrics[], alarm: AlarmFactory): cw.IWidget[] {
  const title = `SLO: ${target}% availability`;
  if (sources.length === 0) {
    return [
      new cw.TextWidget({
        markdown: `### ${title}\nNo request metrics to measure availability on: this stage has neither an API nor a container service.`,
        width: 24,
        height: 2,
      }),
    ];
  }
  const budget = errorBudget(target);
  const fastBurn = alarm('slo-fast-burn', {
    metric: burnRate(sources, '1h', budget),
    threshold: FAST_BURN_RATE,
    description: `The ${target}% availability SLO is burning its ${budget}% error budget ${FAST_BURN_RATE}x+ over the last hour: at this rate the 30-day budget is gone in about two days`,
  });
  return [
    new cw.GraphWidget({
      title: `${title}: error rate and budget burn`,
      left: [errorRate(sources, '5m')],
      leftAnnotations: [{ value: budget, label: `error budget ${budget}%` }],
      leftYAxis: { min: 0, label: '% of requests' },
      right: [burnRate(sources, '1h', budget), burnRate(sources, '6h', budget)],
      rightAnnotations: [{ value: FAST_BURN_RATE, label: `fast burn ${FAST_BURN_RATE}x (alarm)` }],
      rightYAxis: { min: 0, label: 'burn rate' },
      width: 12,
      height: 6,
    }),
    new cw.SingleValueWidget({
      title: `Availability (target ${target}%)`,
      metrics: [availability(sources, '5m')],
      setPeriodToTimeRange: true,
      width: 6,
      height: 6,
    }),
    new cw.AlarmStatusWidget({ title: 'SLO alarms', alarms: [fastBurn], width: 6, height: 6 }),
  ];
}
