import { defineConfig } from 'vitest/config';
import { resolve, unitProject } from './vitest.config';

/**
 * The unit project on its own, for StrykerJS (stryker.config.mjs): a mutant is judged by the unit specs
 * only, never by an integration spec that imports the same module but needs the backends. The specs are
 * pure, so they share one module cache (`isolate: false`), which spares every mutant's run the imports.
 */
export default defineConfig({ resolve, test: { ...unitProject, isolate: false } });
