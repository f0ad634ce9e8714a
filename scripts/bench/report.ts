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
  /** Groups a `--merge` kept from the page before (see merge.ts), each with the run that measured it. */
  earlier?: EarlierRun[];
};

export type EarlierRun = {
  groups: AggregatedRow['group'][];
  startedAt: string;
  command: string;
  runs: number;
  referenceWork?: string;
};

const groupTitles: Record<AggregatedRow['group'], string> = {
  appends: 'Appends',
  rebuild: 'Projection rebuild from checkpoint zero',
  lag: 'Consistency lag (command commit → visible in the read model)',
  endpoint: 'Command endpoint (HTTP)',
  pages: 'Pages (server response, full HTML)',
  fulfillment: 'Fulfillment (order placed → paid → delivered by the worker, from the events\' recorded_at)',
  integration: 'Integration events (the relay to JetStream beside a plain publish loop; payment captured → the warehouse service)',
  'zero-setup': 'Zero setup (`npm start` with nothing set up: the embedded database, every consumer inside the web server)',
  'log-size': 'Log size (the same measurements with about 1M and about 10M events in the store)',
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
  microsecondsPerEvent: 'µs per event',
  p50Ms: 'p50 ms',
  p95Ms: 'p95 ms',
  p99Ms: 'p99 ms',
  maxMs: 'max ms',
  eventsPerOrder: 'events per order',
  percentOfFloor: '% of floor',
  pagesPerSecond: 'pages/s',
  checkoutsPerSecond: 'checkouts/s',
  failures: 'failures',
  rssMiB: 'RSS MiB',
  firstTenthMiB: 'MiB after the first tenth',
  endMiB: 'MiB at the end',
  maxMiB: 'max MiB',
  growthPercent: 'growth %',
  nodeMicrosecondsPerAppend: 'Node CPU µs per append',
  postgresMicrosecondsPerAppend: 'PostgreSQL CPU µs per append',
};

/**
 * Rows of a group that get a table of their own after the group's main one, since their metrics are not the
 * others' (memory beside rates).
 */
const subTables: Partial<Record<AggregatedRow['group'], { title: string; test: (row: AggregatedRow) => boolean }>> = {
  appends: {
    title: 'Memory while appending to existing streams (sampled from /proc/<pid>/status)',
    test: (row) => row.id.startsWith('append.memory.'),
  },
};

/** A group's rows as tables: its main table, then its sub-table if it has one (either may be empty). */
function tablesOf(group: AggregatedRow['group'], rows: AggregatedRow[]): { title: string | null; rows: AggregatedRow[] }[] {
  const sub = subTables[group];
  if (!sub) return [{ title: null, rows }];
  return [
    { title: null, rows: rows.filter((row) => !sub.test(row)) },
    { title: sub.title, rows: rows.filter(sub.test) },
  ].filter((table) => table.rows.length > 0);
}

function metricsOf(rows: AggregatedRow[]): string[] {
  const names = new Set(rows.flatMap((row) => Object.keys(row.metrics)));
  return Object.keys(metricTitles).filter((name) => names.has(name));
}

/**
 * What profiling found behind the figures, target by target. Prose only: every number on the page comes
 * from the JSON of a run.
 */
const limits = (report: BenchReport): string[] => {
  const measured = new Set(report.rows.map((row) => row.group));
  const about = (group: AggregatedRow['group'], text: string) => (measured.has(group) ? [text] : []);
  return [
    ...about(
      'appends',
      '**Single-event appends to new streams against a plain INSERT.** The floor writes into a table with one index; the events ' +
        'table keeps two, one per reader (the primary key, (transaction id, position), for the global reader, and ' +
        'the unique (stream, version) pair for streams and concurrency), and the store wakes the consumers with ' +
        'a NOTIFY. What could be removed was: a NOTIFY inside the appending transaction (it serialised every ' +
        'commit; now sent after the commit, at least 2 ms apart under load), the transaction\'s round trips (one ' +
        'statement), reading the stream\'s version (an append at a known version lets the unique constraint do ' +
        'the check), a CTE around a key-less INSERT, and two indexes no reader needed (see the batch rows). What ' +
        'remains is a single statement\'s fixed cost, the second index and the NOTIFY. The three variants of a row ' +
        'run interleaved, in rounds: run one after the other, whichever ran during a slow spell of the shared ' +
        'host looked worse, and at 8 and 32 writers the ratio moved by ten points between runs.',
    ),
    ...existingStreamLimits(report),
    ...memoryLimits(report),
    ...about(
      'endpoint',
      '**Commands through HTTP.** A command loads the streams it decides on (a product\'s long stream from its ' +
        'snapshot and the events after it), decides, and appends its events and idempotency key in one statement. ' +
        'Profiling the web server found loopback socket writes its largest single cost (every PostgreSQL round ' +
        'trip and every HTTP response is one), so round trips were what to remove: a stream a command starts ' +
        'under an id it has just generated (a new cart, a new order) is not read, and a customer once seen ' +
        'registered is not looked up again. The web server is one Node.js process; the highest sustained rate is ' +
        'where its core, shared with PostgreSQL, the worker, Elasticsearch and the load generator, runs out.',
    ),
    ...about(
      'lag',
      '**Lag under command load.** The workload alternates adding to a new cart and checking it out, so every ' +
        'read model has work, and is measured after a warm-up on a vacuumed store whose search indices have ' +
        'been merged: after the bulk catch-up Elasticsearch went on merging for a minute or more, and the lag ' +
        'rows measured that merge as much as the shop (PostgreSQL lag p99 at 100/s missed its target in every ' +
        'such run, and met it once the merge was done first). The consumers may only read below the oldest ' +
        'transaction still running, so what mattered was keeping writing transactions short: ' +
        'appends are single statements, and a projection batch moves its checkpoint with a guarded update at its ' +
        'end instead of a lock at its start. A batch also reads its checkpoint, its events and whether anything is ' +
        'held back in one statement. Under load a projection starts its batches at least 20 ms apart (Elasticsearch ' +
        '250 ms), so many commands share one batch\'s commit, and the worker commits read models without ' +
        'waiting for the WAL flush (they are rebuilt from the log; the event store always waits): the consumers\' ' +
        'CPU no longer grows with the command rate. Where a row achieved less than the rate asked for, the machine ' +
        'could not serve that many commands of this mix; the web server\'s one process runs out first.',
    ),
    ...about(
      'lag',
      '**Elasticsearch lag.** A live batch refreshes the shard it wrote (`refresh: true`). Waiting for the ' +
        'scheduled refresh instead (`wait_for`) made events that arrived during one wait sit out the next, up to ' +
        'two refresh intervals, since batches run one after another.',
    ),
    ...about(
      'rebuild',
      '**Rebuilding `order_detail` and `text_search`.** Batches are applied set-based, the next batch is read ' +
        'while one is applied (so Node and PostgreSQL work at once), and a rebuild uses 30,000-event batches, so ' +
        'more of an order\'s events fold into one load and one write of its rows (about a quarter faster than ' +
        '10,000). Rows that exist are changed with an `UPDATE` joined by key rather than an upsert, setting only ' +
        'the columns the batch changed (an order\'s lines are no longer sent back with each status change), and ' +
        'a reset truncates instead of deleting. A ' +
        'batch is sent only the event types its projection handles; the rest are read past as positions alone ' +
        '(rebuilding `customers` went from about 60,000 to 150,000 events/s, `order_detail` a fifth faster). A ' +
        'batch finds its existing rows by matching an array of keys through the index (matched against a ' +
        'set-returning function, the planner scanned whole tables of a few thousand rows for a live batch). What ' +
        'remains is the cost per row written, with its index entries (a timeline row per order event, and a new ' +
        'version of an order\'s row for each batch that changes it), and that a batch\'s load, fold, write and ' +
        'commit run one after another: profiled, neither Node (serialising rows, collecting garbage, parsing the ' +
        'driver\'s rows) nor PostgreSQL was busy for much more than half of a rebuild. The ' +
        'full-text GIN index costs little (its pending list defers the work). An index on the timeline\'s ' +
        'correlation id that no query used was dropped.',
    ),
    ...about(
      'rebuild',
      '**Rebuilding every read model at once.** Seven read models rebuild concurrently, as the worker runs ' +
        'them, on two cores shared with PostgreSQL. Its events/s counts each log event once although each is ' +
        'applied seven times, so it is reported beside the target, which holds per read model.',
    ),
    ...about(
      'rebuild',
      '**Reading events through their schemas.** Every read of the log parses each event with the zod schema of ' +
        'the version it was stored in and upcasts it to the current shape (docs/event-versioning.md). The decode ' +
        'row times that alone, on rows already fetched and parsed from JSON; the target compares it with the ' +
        'slowest rebuild\'s time per event. What the parse adds to a rebuild beyond its own time (the copy of each ' +
        'event it allocates, and collecting it) is not in that row: it shows in the rebuild rows, which now include ' +
        'it. A command decodes only the few events of the streams it loads (a snapshot\'s tail, a cart), a few ' +
        'microseconds against its milliseconds.',
    ),
    ...about(
      'zero-setup',
      '**Zero setup.** One thread renders the pages, answers the commands, runs PGlite (a WebAssembly build of ' +
        'PostgreSQL, one session) and every consumer, so under readers and shoppers together the pages wait for ' +
        'the checkouts and the consumers. With EMBEDDED_THREAD the database and the consumers move to a second ' +
        'thread: pages stop waiting for checkouts, but each of a page\'s dozen statements becomes a message that ' +
        'waits in two event loops, and a read model\'s snapshot transaction holds PGlite across all of its round ' +
        'trips, so neither thread is ever fully busy and pages alone and checkouts beside readers get slower ' +
        '(docs/run-modes.md). Crossing once per query or command, rather than once per statement, is what is left.',
    ),
    ...batchLimits(report),
    ...fulfillmentLimits(report),
    ...integrationLimits(report),
  ];
};

/**
 * What the relay does beyond the floor, and where a paid order's shipment request waits. The per-event
 * figures are this run's (the suite times each part of the relay's work alone); what the time is spent on
 * is what profiling found.
 */
function integrationLimits(report: BenchReport): string[] {
  const metric = (id: string, name: string) => report.rows.find((row) => row.id === id)?.metrics[name]?.median;
  const relay = metric('integration.relay', 'eventsPerSecond');
  const floor = metric('integration.relay.floor', 'eventsPerSecond');
  const read = metric('integration.relay', 'readMicrosecondsPerEvent');
  const map = metric('integration.relay', 'mapMicrosecondsPerEvent');
  const encode = metric('integration.relay', 'encodeMicrosecondsPerEvent');
  const paragraphs: string[] = [];
  if (relay && floor && read !== undefined && map !== undefined && encode !== undefined) {
    const us = (n: number) => `${n.toFixed(1)} µs`;
    paragraphs.push(
      '**The relay against a plain publish loop.** Profiled, the relay\'s one Node.js thread is busy throughout, ' +
        'and most of it, for the relay and the floor alike, is the NATS client: each publish is a request answered ' +
        'by its acknowledgement, and the client makes two Error objects per request to remember where it was sent ' +
        'from (its `noAsyncTraces` option turns that off; the shop\'s transport keeps the traces). Beyond the ' +
        'floor\'s publish, the relay reads each event from the log (the query, the driver\'s JSON, the event\'s ' +
        'schema), maps it to its contract and encodes it (the contract\'s schema, the JSON), on the same thread: ' +
        `on this run, per event, the floor took ${us(1_000_000 / floor)} and the relay ${us(1_000_000 / relay)}; ` +
        `timed alone, reading took ${us(read)}, mapping ${us(map)} and encoding ${us(encode)}. The engine reads ` +
        'the next batch while one is published, but on one thread that hides only the waiting. The checkpoint ' +
        'moves once per batch, committed without waiting for the disk, as the worker commits it. What was ' +
        'removed: a second encoding of every message (the relay checked each against its contract before ' +
        'handing the batch to the transport, which encoded it again; the transport now checks the whole batch ' +
        'before it sends any).',
    );
  }
  const received = report.rows.find((row) => /^integration\.r\d+\.received$/.test(row.id));
  const relayed = received && metric(received.id.replace(/received$/, 'relayed'), 'p50Ms');
  const total = received?.metrics.p50Ms?.median;
  if (received && relayed !== undefined && total !== undefined) {
    paragraphs.push(
      '**Payment captured → the warehouse.** On this run, of the median ' +
        `${Math.round(total).toLocaleString('en-US')} ms, ${Math.round(relayed).toLocaleString('en-US')} ms were ` +
        'the relay, JetStream and the warehouse\'s consumer (part 2); the rest is the fulfillment process ' +
        'deciding on the capture (part 1). At this rate the worker falls behind, with the warehouse service, ' +
        'the broker and the gateway on the same two cores: profiled, its one thread was busy nearly throughout, ' +
        'the time spread over its consumers (mail, read models, the process and its steps), and every hop of ' +
        'the process waited, not this one alone.',
    );
  }
  return paragraphs;
}

/**
 * What holds fulfillment back. How often the read horizon was held, and by another database, is this run's
 * (the suite samples it while it measures); which transaction held it is what profiling found.
 */
function fulfillmentLimits(report: BenchReport): string[] {
  const row = report.rows.find((candidate) => candidate.id === 'fulfillment.r100.paid');
  const held = row?.metrics.horizonHeldPct?.median;
  const elsewhere = row?.metrics.horizonHeldElsewherePct?.median;
  if (held === undefined || elsewhere === undefined) return [];
  return [
    '**Fulfillment.** Every hop of an order is a consumer of the log, and a consumer reads only below the ' +
      'oldest transaction still running on the server (docs/event-store.md), so an event waits for every ' +
      'transaction that was open when it committed, whoever opened it. On this run, at 100 orders/s, some ' +
      `transaction was open in ${held.toFixed(0)}% of the samples taken every 50 ms, another database's in ` +
      `${elsewhere.toFixed(0)}% (transaction ids are the server's: on a shared server, a test suite creating ` +
      'databases holds the shop back too). In the samples, the oldest was most often a batch of `process_timers`, ' +
      'which writes one statement per timer event (about six per order) inside the transaction of its ' +
      'checkpoint: under load that transaction is open nearly all the time, and every hop, the fraud check ' +
      'and the payment included, waits for it. With that projection applied set-based (tried outside the ' +
      'shop\'s code), the chain alone no longer fell behind at 100 orders/s; with every read model running beside it, the ' +
      'fulfillment process itself (hops 2, 4, 6, 8) was then the queue (each input is a command of its own, ' +
      'eight orders at a time, and a batch waits for its slowest order before the next is read), and given ' +
      'more lanes, the payment step after it. The chain alone, unloaded, took a few milliseconds a hop; the carrier timer ' +
      'waits for the timer service\'s next look (at most 250 ms apart), which no new timer cuts short.',
  ];
}

/**
 * What limits appends to existing streams. The shares and the CPU per append are this run's (the suite reads
 * them from /proc); the parts of the difference are what measuring them apart found.
 */
function existingStreamLimits(report: BenchReport): string[] {
  const metric = (id: string, name: string) => report.rows.find((row) => row.id === id)?.metrics[name]?.median;
  const rate = (writers: number, variant: string) => metric(`append.existing.c${writers}.${variant}`, 'eventsPerSecond');
  const shares = [1, 8, 32].flatMap((writers) => {
    const [hindsight, floor, emmett] = [rate(writers, 'hindsight'), rate(writers, 'floor'), rate(writers, 'emmett')];
    return hindsight && floor && emmett ? [`${Math.round((hindsight / floor) * 100)}% of the floor and ${(hindsight / emmett).toFixed(2)}× Emmett at ${writers} writer${writers > 1 ? 's' : ''}`] : [];
  });
  if (shares.length === 0) return [];
  const cpu = (variant: string, side: 'node' | 'postgres') => metric(`append.existing.c8.${variant}`, `${side}MicrosecondsPerAppend`);
  const [hNode, hPg, fNode, fPg] = [cpu('hindsight', 'node'), cpu('hindsight', 'postgres'), cpu('floor', 'node'), cpu('floor', 'postgres')];
  const spent =
    hNode !== undefined && hPg !== undefined && fNode !== undefined && fPg !== undefined
      ? `At 8 writers both cores are busy, so the rate follows the CPU an append costs: on this run ${Math.round(hPg)} µs ` +
        `in PostgreSQL and ${Math.round(hNode)} µs in Node for the store, ${Math.round(fPg)} µs and ${Math.round(fNode)} µs for the floor. `
      : '';
  return [
    '**Appends to existing streams.** Every command after a stream\'s first appends at a known version. The ' +
      'floor is a plain INSERT into a table with the events table\'s unique (stream, version), where each append ' +
      'lands beside its stream\'s earlier versions. The statement used to write the expected version into its ' +
      'text, so every such append was new text to parse, plan and keep prepared on its connection: it ran at ' +
      '38–44% of this floor, level with Emmett, with the memory below growing at every append. Every version is ' +
      'a parameter now, one prepared statement per shape (docs/event-store.md), and such appends cost what ' +
      `appends that start streams do. On this run: ${shares.join('; ')}. ${spent}` +
      'Measured apart, by CPU time per append at 8 writers, most of PostgreSQL\'s share is the table and the ' +
      'guarantees: a plain INSERT of the same row into the events table ran at 83–99% of the floor; its ' +
      'statement trigger (an append must be the first write of its transaction) cost about 30 µs an append until ' +
      'migration 0016 guarded it with `WHEN (pg_current_xact_id_if_assigned() IS NOT NULL)`, so that the first ' +
      'write of a transaction, which every append of ours is, skips it (about 2 µs); the check that the stream is ' +
      'not shorter than expected (one probe of the unique index and a visit to the heap page just written) costs ' +
      'about 20 µs; the coalesced NOTIFY (one for about every ten appends, each a transaction and a round trip of ' +
      'its own) and the statement\'s own plan the rest. In Node it is the event\'s schema, building the statement ' +
      'and the NOTIFY\'s round trips. Tried and not kept, for no measurable gain: inserting a single event without ' +
      'a VALUES list, and committing the NOTIFY without waiting for the WAL flush.',
  ];
}

/** What the memory rows show, from this run's samples. */
function memoryLimits(report: BenchReport): string[] {
  const row = (id: string) => report.rows.find((candidate) => candidate.id === id)?.metrics;
  const [process, backends, resident] = [row('append.memory.process'), row('append.memory.backends'), row('append.memory.backends.rss')];
  if (!process || !backends) return [];
  const span = (metrics: NonNullable<typeof process>) =>
    `${Math.round(metrics.firstTenthMiB?.median ?? 0)} → ${Math.round(metrics.endMiB?.median ?? 0)} MiB`;
  return [
    '**Memory over a million appends.** A process of its own appends to existing streams through the event ' +
      'store over a pool the web server\'s size, and the bench samples its resident memory and its backends\' ' +
      `private memory (RssAnon) from /proc every twentieth of the run. On this run: the process ${span(process)}, ` +
      `the backends ${span(backends)}, from the first tenth to the end. With the versions written into the ` +
      'statement, the backends had gained about 33 MiB per thousand appends (1.7 GB after 50,000) and the ' +
      'process about 2 MiB: every version was a statement prepared and kept per connection.' +
      (resident
        ? ` The backends' VmRSS (${span(resident)}) also counts every page of shared buffers each has touched, ` +
          'which grows towards `shared_buffers` as the log grows whether or not anything leaks; it is shown, not ' +
          'held to the target.'
        : ''),
  ];
}

/**
 * What limits 100-event batches, beside the floor and Emmett. The share of the floor that 1.5× Emmett
 * asks for is computed from this run's rows, so the prose states no figure of its own.
 */
function batchLimits(report: BenchReport): string[] {
  const median = (id: string) => report.rows.find((row) => row.id === id)?.metrics.eventsPerSecond?.median;
  const shares = [1, 8].flatMap((writers) => {
    const floor = median(`append.batch100.c${writers}.floor`);
    const emmett = median(`append.batch100.c${writers}.emmett`);
    return floor && emmett ? [{ writers, share: Math.round(((1.5 * emmett) / floor) * 100) }] : [];
  });
  if (shares.length === 0) return [];
  const asked = shares.map(({ writers, share }) => `${share}% at ${writers} writer${writers > 1 ? 's' : ''}`);
  const stricter = shares.every(({ share }) => share < 70) ? ', so the 70% floor is the stricter target' : '';
  return [
    '**100-event batches.** On this run, 1.5× Emmett asks for ' +
      `${asked.join(' and ')} of the plain-INSERT floor${stricter}. A bare INSERT of the same rows into the events table, ` +
      'with nothing of the store around it, measured barely faster than the store\'s append: the table\'s ' +
      'indexes were the limit, not the append path. It had four; each reader needs one, so two went: the ' +
      'primary key became the global reader\'s (transaction id, position), which replaced that reader\'s own ' +
      'index, and the unique index on the event id, which nothing looks up, was dropped (the store mints every ' +
      'id from 122 random bits; callers cannot supply one). Time-ordered (v7) ids, whose new entries land ' +
      'together at the index\'s right edge, had measured no faster: at this size the index is in memory, and ' +
      'it is the entry, not where it lands, that costs. Sending the rows as one JSON parameter or as arrays ' +
      'instead of a VALUES list showed no clear gain.',
  ];
}

export function renderTable(report: BenchReport): string {
  const lines: string[] = [];
  for (const group of Object.keys(groupTitles) as AggregatedRow['group'][]) {
    for (const table of tablesOf(group, report.rows.filter((row) => row.group === group))) {
      const metrics = metricsOf(table.rows);
      lines.push('', table.title ?? groupTitles[group]);
      for (const row of table.rows) {
        const figures = metrics.map((metric) => (row.metrics[metric] ? `${metricTitles[metric]} ${cell(row, metric)}` : '')).filter(Boolean);
        lines.push(`  ${row.label} · ${row.concurrency} · ${row.scale}\n      ${figures.join('   ')}`);
      }
    }
  }
  lines.push('', 'Targets');
  for (const target of report.targets) lines.push(`  ${target.met ? 'met   ' : 'MISSED'} ${target.description}: ${target.actual}`);
  return lines.join('\n');
}

/** The machine entry that records the reference work (see `referenceWorkMs` in index.ts). */
export const referenceWorkKey = 'reference work, ms (lower is faster)';

export function renderMarkdown(report: BenchReport): string {
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Generated by `npm run bench` from benchmarks.json; do not edit by hand. -->',
    '',
    `Measured ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${report.command}\`: ${report.runs} run(s);`,
    'each figure is the median of the runs, with the spread (min–max) in brackets. Peers are measured in the',
    'same run, on the same machine, so their ratios hold even when the machine is noisy.',
    ...(referenceWorkKey in report.machine
      ? ['Absolute figures move with the speed of the shared host; the reference work (the same fixed work on', 'every page) says how fast it was during this run.']
      : []),
    ...earlierRuns(report),
    '',
    '| machine | |',
    '| --- | --- |',
    ...Object.entries(report.machine).map(([key, value]) => `| ${key} | ${value} |`),
    '',
    ...(report.rows.some((row) => row.group === 'appends') ? ['![Appends: Hindsight beside a plain INSERT and Emmett](benchmarks.svg)', ''] : []),
    '## Targets',
    '',
    '| target | result | |',
    '| --- | --- | --- |',
    ...report.targets.map((target) => `| ${target.description} | ${target.actual} | ${target.met ? 'met' : '**missed**'} |`),
  ];
  out.push('', '## What limits the figures', '', ...limits(report).map((line) => `- ${line}`));
  for (const group of Object.keys(groupTitles) as AggregatedRow['group'][]) {
    for (const table of tablesOf(group, report.rows.filter((row) => row.group === group))) {
      const metrics = metricsOf(table.rows);
      out.push('', table.title ? `### ${table.title}` : `## ${groupTitles[group]}`, '');
      out.push(`| measurement | concurrency | scale | ${metrics.map((m) => metricTitles[m]).join(' | ')} |`);
      out.push(`| --- | --- | --- | ${metrics.map(() => '---:').join(' | ')} |`);
      for (const row of table.rows) {
        out.push(`| ${row.label} | ${row.concurrency} | ${row.scale} | ${metrics.map((m) => cell(row, m)).join(' | ')} |`);
      }
    }
  }
  out.push('');
  return out.join('\n');
}

/**
 * What a `--merge` kept: which groups this run measured, and for each kept group the run it came from, so no
 * figure is read as this run's.
 */
function earlierRuns(report: BenchReport): string[] {
  if (!report.earlier?.length) return [];
  const titles = (groups: readonly AggregatedRow['group'][]) => groups.map((group) => groupTitles[group].replace(/ \(.*$/, '')).join('; ');
  const kept = new Set(report.earlier.flatMap((run) => run.groups));
  const fresh = [...new Set(report.rows.map((row) => row.group))].filter((group) => !kept.has(group));
  return [
    '',
    `This run measured: ${titles(fresh)}. The other groups were kept from earlier runs (\`--merge\`), so their figures are those runs':`,
    '',
    ...report.earlier.map(
      (run) =>
        `- ${titles(run.groups)}: measured ${run.startedAt.slice(0, 16).replace('T', ' ')} UTC with \`${run.command}\`, ${run.runs} run(s)` +
        `${run.referenceWork ? `, reference work (ms, lower is faster) ${run.referenceWork}` : ''}.`,
    ),
  ];
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
