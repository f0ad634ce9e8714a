import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { evaluateTargets } from './aggregate';
import { renderChart, renderMarkdown, type BenchReport } from './report';

/**
 * `npm run bench:report [docs/benchmarks.json]`: regenerates the page and the chart from a run's JSON, e.g.
 * after the page's wording changed. Figures only ever come from the JSON.
 */
const file = process.argv[2] ?? 'docs/benchmarks.json';
const stored = JSON.parse(readFileSync(file, 'utf8')) as BenchReport;
// The targets are judged afresh from the stored rows, so a mended target wording reaches the page too.
const report: BenchReport = { ...stored, targets: evaluateTargets(stored.rows) };
writeFileSync(join(dirname(file), 'benchmarks.md'), renderMarkdown(report));
writeFileSync(join(dirname(file), 'benchmarks.svg'), await renderChart(report));
console.log(`bench: rendered ${dirname(file)}/benchmarks.{md,svg} from ${file}`);
