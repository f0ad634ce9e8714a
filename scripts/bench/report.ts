import * as vega from 'vega';
import { compile } from 'vega-lite';
import type { AggregatedRow } from './aggregate';

export type BenchReport = {
  startedAt: string;
  finishedAt: string;
  command: string;
  runs: number;
  smoke: boolean;
  machine: Record<string, string | number>;
  rows: AggregatedRow[];
  targets: { description: string; met: boolean; actual: string }[];
};

const groupTitles: Record<AggregatedRow['group'], string> = {
  appends: 'Appends',
  rebuild: 'Projection rebuild from checkpoint zero',
  lag: 'Consistency lag (command commit → visible in the read model)',
  endpoint: 'Command endpoint (HTTP)',
  pages: 'Pages (server response, full HTML)',
};

/** "12,345 (11,900–12,800)": the median of the runs and their spread. */
function cell(row: AggregatedRow, metric: string): string {
  const m = row.metrics[metric];
  if (!m) return '';
  const f = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
  return row.runs > 1 && m.min !== m.max ? `${f(m.median)} (${f(m.min)}–${f(m.max)})` : f(m.median);
}

const metricTitles: Record<string, string> = {
  eventsPerSecond: 'events/s',
  commandsPerSecond: 'commands/s',
  seconds: 's',
  p50Ms: 'p50 ms',
  p95Ms: 'p95 ms',
  p99Ms: 'p99 ms',
  maxMs: 'max ms',
};

function metricsOf(rows: AggregatedRow[]): string[] {
  const names = new Set(rows.flatMap((row) => Object.keys(row.metrics)));
  return Object.keys(metricTitles).filter((name) => names.has(name));
}

/**
 * What profiling found behind the figures, target by target. Prose only: every number on the page comes
 * from the JSON of a run.
 */
const limits = [
  '**Single-event appends against a plain INSERT.** The floor writes into a table with only a primary key. ' +
    'The events table also keeps a unique event id, a unique (stream, version) pair and the reader\'s ' +
    '(transaction id, position) index, and each append reads its stream\'s current version: all four are the ' +
    'design, and their index maintenance is most of the gap. What could be removed was: a NOTIFY inside the ' +
    'appending transaction serialised every commit (now sent after the commit, coalesced), the transaction\'s ' +
    'round trips (now one statement without an idempotency key), and unprepared statements.',
  '**Commands through HTTP.** Every command pays the idempotency-key round trips and loads the streams it ' +
    'decides on. With 100,000 orders in the store, each product stream holds thousands of stock events, and ' +
    'adding an item reads its product\'s whole stream: command latency grows with stream length. Snapshots ' +
    'for long streams (on the road map) are the fix; the endpoint and lag rows carry this cost today.',
  '**Rebuilding `order_detail` and `text_search`.** Batches are applied set-based (one read and one write ' +
    'per table per batch). What remains is PostgreSQL\'s own insert cost: a timeline row per order event into ' +
    'two indexes on random text keys, and GIN full-text index maintenance. Within a batch Node folds while ' +
    'PostgreSQL waits and the reverse, so one of the two cores idles. Overlapping batches, or dropping ' +
    'secondary indexes during a rebuild and recreating them after, are the next steps.',
  '**Rebuilding every read model at once.** All PostgreSQL read models rebuild concurrently, as the projector ' +
    'runs them, sharing two cores with PostgreSQL: the figure is log events over the time until the last ' +
    'one caught up.',
  '**Lag under command load.** The lag rows run while the command endpoint is past its sustainable rate ' +
    '(see above): requests queue in the web server, and every command transaction stays open across several ' +
    'turns of a busy event loop. The projectors may only read below the oldest transaction still running, so ' +
    'they wait for those. Cheaper commands (snapshots) and a shorter command transaction are the fixes.',
  '**Elasticsearch lag.** A live batch waits for the refresh that makes it searchable (`refresh: wait_for`), ' +
    'so lag is bounded below by the index refresh interval (1 s), as the target allows.',
];

export function renderTable(report: BenchReport): string {
  const lines: string[] = [];
  for (const group of Object.keys(groupTitles) as AggregatedRow['group'][]) {
    const rows = report.rows.filter((row) => row.group === group);
    if (rows.length === 0) continue;
    const metrics = metricsOf(rows);
    lines.push('', groupTitles[group]);
    for (const row of rows) {
      const figures = metrics.map((metric) => (row.metrics[metric] ? `${metricTitles[metric]} ${cell(row, metric)}` : '')).filter(Boolean);
      lines.push(`  ${row.label} · ${row.concurrency} · ${row.scale}\n      ${figures.join('   ')}`);
    }
  }
  lines.push('', 'Targets');
  for (const target of report.targets) lines.push(`  ${target.met ? 'met   ' : 'MISSED'} ${target.description}: ${target.actual}`);
  return lines.join('\n');
}

export function renderMarkdown(report: BenchReport): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` from benchmarks.json; do not edit by hand. -->',
    '',
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\`: ${report.runs} run(s);`,
    'each figure is the median of the runs, with the spread (min–max) in brackets. Peers are measured in the',
    'same run, on the same machine, so their ratios hold even when the machine is noisy.',
    '',
    '| machine | |',
    '| --- | --- |',
    ...Object.entries(report.machine).map(([key, value]) => `| ${key} | ${value} |`),
    '',
    '![Appends: Hindsight beside a plain INSERT and Emmett](benchmarks.svg)',
    '',
    '## Targets',
    '',
    '| target | result | |',
    '| --- | --- | --- |',
    ...report.targets.map((target) => `| ${target.description} | ${target.actual} | ${target.met ? 'met' : '**missed**'} |`),
  ];
  out.push('', '## What limits the figures', '', ...limits.map((line) => `- ${line}`));
  for (const group of Object.keys(groupTitles) as AggregatedRow['group'][]) {
    const rows = report.rows.filter((row) => row.group === group);
    if (rows.length === 0) continue;
    const metrics = metricsOf(rows);
    out.push('', `## ${groupTitles[group]}`, '');
    out.push(`| measurement | concurrency | scale | ${metrics.map((m) => metricTitles[m]).join(' | ')} |`);
    out.push(`| --- | --- | --- | ${metrics.map(() => '---:').join(' | ')} |`);
    for (const row of rows) {
      out.push(`| ${row.label} | ${row.concurrency} | ${row.scale} | ${metrics.map((m) => cell(row, m)).join(' | ')} |`);
    }
  }
  out.push('');
  return out.join('\n');
}

/** The appends comparison as an SVG grouped bar chart (Vega-Lite, rendered headless). */
export async function renderChart(report: BenchReport): Promise<string> {
  const who = { hindsight: 'Hindsight', floor: 'plain INSERT', emmett: 'Emmett' } as const;
  const values = report.rows
    .filter((row) => row.group === 'appends')
    .flatMap((row) => {
      const match = /^append\.(.+)\.(hindsight|floor|emmett)$/.exec(row.id);
      if (!match) return [];
      const [, workload, peer] = match as unknown as [string, string, keyof typeof who];
      return [{ workload, peer: who[peer], eventsPerSecond: row.metrics.eventsPerSecond?.median ?? 0 }];
    });
  const { spec } = compile({
    width: 560,
    height: 280,
    title: 'Appends: events/s (higher is better)',
    data: { values },
    mark: 'bar',
    encoding: {
      x: { field: 'workload', type: 'nominal', title: null, axis: { labelAngle: 0 } },
      xOffset: { field: 'peer', sort: ['Hindsight', 'plain INSERT', 'Emmett'] },
      y: { field: 'eventsPerSecond', type: 'quantitative', title: 'events/s' },
      color: { field: 'peer', title: null, sort: ['Hindsight', 'plain INSERT', 'Emmett'], scale: { range: ['#3b5bdb', '#adb5bd', '#f08c00'] } },
    },
  });
  return new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
}
