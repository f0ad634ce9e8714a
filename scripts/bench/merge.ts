import { existsSync, readFileSync } from 'node:fs';
import type { AggregatedRow } from './aggregate';
import { referenceWorkKey, type BenchReport, type EarlierRun } from './report';

/**
 * `--merge`: this run's rows beside the rows the page already holds for every group this run did not
 * measure. A group is replaced whole, never row by row, so no table mixes two runs' figures, and each kept
 * group names the run it came from (carried over from the page's own record when it was itself kept by an
 * earlier merge). Targets are judged afresh over the merged rows.
 */
export function mergeWithPage(file: string, measured: readonly AggregatedRow[]): { rows: AggregatedRow[]; earlier: EarlierRun[] } {
  if (!existsSync(file)) return { rows: [...measured], earlier: [] };
  const page = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
  const fresh = new Set(measured.map((row) => row.group));
  const kept = page.rows.filter((row) => !fresh.has(row.group));
  const pageRun = {
    startedAt: page.startedAt,
    command: page.command,
    runs: page.runs,
    ...(referenceWorkKey in page.machine ? { referenceWork: String(page.machine[referenceWorkKey]) } : {}),
  };
  const earlier: EarlierRun[] = [];
  for (const group of new Set(kept.map((row) => row.group))) {
    const from = page.earlier?.find((run) => run.groups.includes(group));
    const source = from
      ? { startedAt: from.startedAt, command: from.command, runs: from.runs, ...(from.referenceWork ? { referenceWork: from.referenceWork } : {}) }
      : pageRun;
    const same = earlier.find((run) => run.startedAt === source.startedAt && run.command === source.command);
    if (same) same.groups.push(group);
    else earlier.push({ ...source, groups: [group] });
  }
  return { rows: [...measured, ...kept], earlier };
}
