'use client';

import { useQuery } from '@tanstack/react-query';
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useTRPC } from '../_trpc/client';

/** A chart point: the API's, with the moment as milliseconds, the axis' unit. */
type Point = { at: number; behindEvents: number; lagSeconds: number; eventsPerSecond: number | null };

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const clockWithSeconds = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hourMs = 3_600_000;
const quarterMs = 900_000;

/** The hour's axis: its ends, and a tick every quarter of an hour between them. */
function hourAxis(now: number): { domain: [number, number]; ticks: number[] } {
  const start = now - hourMs;
  const ticks = [];
  for (let at = Math.ceil(start / quarterMs) * quarterMs; at <= now; at += quarterMs) ticks.push(at);
  return { domain: [start, now], ticks };
}

function pointsOf(points: readonly { at: Date; behindEvents: number; lagSeconds: number; eventsPerSecond: number | null }[]): Point[] {
  return points.map((point) => ({ ...point, at: new Date(point.at).getTime() }));
}

/** Events per second as the page shows it: "–" before a first measure, one decimal below 10. */
export function formatThroughput(eventsPerSecond: number | null): string {
  if (eventsPerSecond === null) return '–';
  if (eventsPerSecond === 0) return '0/s';
  return eventsPerSecond < 10 ? `${eventsPerSecond.toFixed(1)}/s` : `${Math.round(eventsPerSecond).toLocaleString('en-US')}/s`;
}

/**
 * A consumer's lag in events over the last hour, a point a minute, small enough for a table row. It is the
 * button that opens the larger chart below the table; a flat line at the bottom is a consumer that keeps up.
 */
export function LagSparkline({
  consumer,
  points,
  selected,
  onSelect,
}: {
  consumer: string;
  /** Undefined while the history loads (it is not rendered on the server: its axis is the browser's clock). */
  points: readonly { at: Date; behindEvents: number; lagSeconds: number; eventsPerSecond: number | null }[] | undefined;
  selected: boolean;
  onSelect: () => void;
}) {
  const data = pointsOf(points ?? []);
  const worst = Math.max(0, ...data.map((point) => point.behindEvents));
  return (
    <button
      type="button"
      className="lag-sparkline"
      aria-pressed={selected}
      aria-label={`Chart of ${consumer}'s lag`}
      title={data.length === 0 ? 'No samples yet' : `At most ${worst.toLocaleString('en-US')} events behind in the last hour`}
      onClick={onSelect}
    >
      {points === undefined ? (
        <span className="stock">…</span>
      ) : data.length === 0 ? (
        <span className="stock">no samples yet</span>
      ) : (
        // Inside a button: no keyboard layer of its own, which would be a second control to tab to.
        <LineChart width={96} height={28} data={data} margin={{ top: 2, right: 2, bottom: 2, left: 2 }} accessibilityLayer={false}>
          <XAxis dataKey="at" type="number" domain={hourAxis(Date.now()).domain} hide />
          <YAxis domain={[0, (max: number) => Math.max(1, max)]} hide />
          <Line dataKey="behindEvents" stroke={worst > 0 ? '#c92a2a' : '#3b5bdb'} strokeWidth={1.5} dot={false} isAnimationActive={false} />
        </LineChart>
      )}
    </button>
  );
}

/**
 * One consumer's last hour at every sample (10 s): events behind on the left axis, the oldest unread event's
 * wait in seconds on the right. Refetched as often as samples are taken.
 */
export function ConsumerLagChart({ consumer }: { consumer: string }) {
  const trpc = useTRPC();
  const { data, error } = useQuery({ ...trpc.operations.lagHistory.queryOptions({ consumer }), refetchInterval: 10_000 });
  const points = pointsOf(data?.[0]?.points ?? []);
  const axis = hourAxis(Date.now());
  return (
    <figure className="chart consumer-lag-chart" aria-label={`Lag of ${consumer}, last hour`}>
      <h3>
        Lag of <code>{consumer}</code>, last hour
      </h3>
      {error ? (
        <p className="error" role="alert">
          {error.message}
        </p>
      ) : !data ? (
        <p>Loading…</p>
      ) : points.length === 0 ? (
        <p className="notice">No samples yet: the instance running it samples its lag every 10 seconds.</p>
      ) : (
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={points} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis
              dataKey="at"
              type="number"
              domain={axis.domain}
              ticks={axis.ticks}
              tickFormatter={(at: number) => clock.format(at)}
            />
            <YAxis yAxisId="events" allowDecimals={false} width={48} domain={[0, (max: number) => Math.max(1, max)]} />
            <YAxis
              yAxisId="seconds"
              orientation="right"
              width={44}
              allowDecimals={false}
              tickFormatter={(value: number) => `${value} s`}
              domain={[0, (max: number) => Math.max(1, Math.ceil(max))]}
            />
            <Tooltip
              labelFormatter={(at) => clockWithSeconds.format(Number(at))}
              formatter={(value, name) => (name === 'Behind' ? [`${Number(value).toLocaleString('en-US')} events`, name] : [`${Number(value).toFixed(1)} s`, name])}
            />
            <Line yAxisId="events" name="Behind" dataKey="behindEvents" stroke="#3b5bdb" strokeWidth={2} dot={false} isAnimationActive={false} />
            <Line yAxisId="seconds" name="Lag" dataKey="lagSeconds" stroke="#e8590c" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      )}
      <figcaption className="stock">
        Blue: committed events it had not read (left axis). Orange: how long the oldest of them had waited (right
        axis). Sampled every 10 seconds by the instance that runs it.
      </figcaption>
    </figure>
  );
}
