// @ts-check
/**
 * Mutation testing of the pure core (`npm run mutation`; the `mutation` stage of `npm test`). StrykerJS
 * changes one thing at a time in the files below (a `>` into `>=`, a condition into `true`, a string into
 * "") and runs the unit tests that cover it: a change no test notices is a line the suite does not prove.
 *
 * The files are chosen for what they decide, not for an easy score. Each is pure (no clock, no I/O, no
 * database), so the unit suite alone can judge it; the database-bound core (append, the gap-safe read,
 * checkpoints) needs the real server and is held by the integration suites instead (README: how the tests
 * are kept honest).
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  mutate: [
    // The aggregates' deciders and their evolve functions: every rule a command is refused or accepted by.
    'domain/{cart,customer,order,product}/{decider,state}.ts',
    // The fulfillment process manager: a process decider (decide on inputs, evolve on its own events) with
    // its compensation, payment and shipment rules, and the fraud score it reacts to.
    'domain/fulfillment/{decider,decision,compensation,payment,shipment,state,steps,inputs,policy}.ts',
    'domain/fraud/score.ts',
    // Event versioning: every event's schemas and upcasters, and the codec that parses a stored event with
    // its version's schema and upcasts it step by step.
    'domain/*/events.ts',
    'db/event-store/schemas.ts',
    // Validation: the building blocks of the schemas and the deciders' own number checks, lines and fold.
    'domain/{decider,lines,schema,validation}.ts',
    // Consistency: log positions and tokens, and the browser's rules on them (is a page behind? which of
    // two tokens is the later?).
    'common/log-position.ts',
    'app/_consistency/tokens.ts',
  ],
  testRunner: 'vitest',
  // The unit project alone: the integration specs import the same modules but need the backends.
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  checkers: ['typescript'],
  tsconfigFile: 'tsconfig.mutation.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  // Each mutant runs only the tests that reached it in the first, instrumented run.
  coverageAnalysis: 'perTest',
  // A mutant of a module-level value (an event's zod schema, the default policy) would need every spec
  // file imported afresh for each; those declarations are held by the schema lock and fixtures
  // (domain/event-schemas.unit.spec.ts) instead. The upcasters and every function are mutated.
  ignoreStatic: true,
  // A second run tests only the mutants whose code or covering tests changed (reports/ is not committed).
  incremental: true,
  incrementalFile: 'reports/mutation/incremental.json',
  // The machine it runs on is shared: two workers, and a patient timeout for a loaded one.
  concurrency: 2,
  timeoutMS: 10_000,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ['clear-text', 'progress-append-only', 'html'],
  // The score table and every surviving mutant, not the list of tests.
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: true, reportScoreTable: true },
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  // Not copied into the tree the mutants are tested in: what builds and test runs leave behind.
  ignorePatterns: ['/.next', '/.data', '/test-results', '/playwright-report'],
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
