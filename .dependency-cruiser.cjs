/**
 * One direction for every import, bottom to top: domain → common → db → projections and server/commands →
 * processes (the fulfillment process manager, its timers and the steps that reach outside services) and
 * reactors (fraud check, mail), which send commands through server/commands' one command path → the API (server/trpc, server/routers and the other server modules) → process entry points (server/main,
 * scripts) → pages (app). A layer imports only layers below it, plus npm packages; db/ is generic and builds on
 * common/ alone. `npm run lint:deps` checks it; a wrong-way import fails with the name of the rule it breaks
 * and the reason for that rule.
 *
 * services/ is apart from the layers: each folder is a service of its own (the payment gateway simulator, the
 * warehouse) that knows nothing of the shop. The shop reaches the gateway over HTTP through its client.ts, and
 * the warehouse only through the broker. contracts/ (the integration events and their transports) is apart too:
 * the one thing the shop and the warehouse share, so it imports neither. integration/ is the shop's side of that
 * boundary (the relay and the inbox) and sits beside processes/.
 *
 * Test code (specs and their helpers) may reach across layers, because setting up a test often needs pieces
 * of several; production code never imports it. Only domain-is-pure, e2e-drives-the-browser and the rules
 * about app/ hold for tests as well.
 */

/** Specs, their helpers and fixtures, and vitest's global setup. */
const testCode = ['\\.(spec|fixture)\\.tsx?$', '(^|/)testing(-hooks)?\\.ts$', '^db/test-setup\\.ts$'];

/** Every module of ours; a `to` limited to these leaves npm packages alone. */
const ours = ['^(app|common|contracts|db|domain|e2e|integration|processes|projections|reactors|scripts|server|services)/', '^instrumentation\\.ts$'];

/** A zero-setup shop started as a user starts it, for the end-to-end specs and the benchmark. */
const zeroSetupShop = '^scripts/zero-setup-shop\\.ts$';

/** The two files through which app/ reaches into the server. */
const apiBridges = ['^app/_trpc/server\\.tsx$', '^app/api/trpc/\\[trpc\\]/route\\.ts$'];

/** The Prometheus endpoint's route, which reaches the server's metrics and nothing else. */
const metricsBridge = '^app/api/metrics/route\\.ts$';

/** The progress stream's route (server-sent events), which reaches the progress hub and nothing else. */
const progressBridge = '^app/api/progress/route\\.ts$';

/** The two files of app/ that reach sign-in itself: better-auth's HTTP adapter and the sign-in forms' actions. */
const authBridges = ['^app/api/auth/\\[\\.\\.\\.all\\]/route\\.ts$', '^app/\\(auth\\)/actions\\.ts$'];

/** Packages that run only on the server: a database driver, the search client, the logger. */
const serverOnlyPackages = '^node_modules/(drizzle-orm|postgres|@electric-sql/pglite|@elastic/elasticsearch|pino)/';

/** Node built-ins, as `fs` or `node:fs`. */
const builtIn = (names) => `^(node:)?(${names})(/|$)`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'domain/ holds the aggregates (events, state, evolve, decide). It imports nothing of ours outside domain/ and no ' +
        'framework, database, search, logging or file/network package, so a decision depends only on the command and ' +
        'the history, and its tests run without I/O.',
      severity: 'error',
      from: { path: '^domain/' },
      to: {
        path: [
          '^(app|common|contracts|db|e2e|integration|processes|projections|reactors|scripts|server|services)/',
          '^instrumentation\\.ts$',
          '^node_modules/(next|react|react-dom|@trpc/[^/]+)/',
          serverOnlyPackages,
          builtIn('fs|net|http|https|http2|dgram|tls|child_process'),
        ],
      },
    },
    {
      name: 'common-is-shared-values',
      comment:
        'common/ is what the browser shares with the server (statuses, price bands, the log-position token codec). It ' +
        'builds on domain/ only and uses no server-only package, so a page importing it pulls no server code into ' +
        'the browser.',
      severity: 'error',
      from: { path: '^common/', pathNot: testCode },
      to: { path: [...ours, serverOnlyPackages], pathNot: '^(common|domain)/' },
    },
    {
      name: 'common-runs-in-the-browser',
      comment: 'common/ is bundled into the browser, which has no Node built-ins.',
      severity: 'error',
      from: { path: '^common/', pathNot: testCode },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'db-is-generic',
      comment:
        'db/ (drivers, schema, migrations, the event store, the consumer engine) works for any events: it may use ' +
        'common/ only, never domain/, read models or the server, so the store and the engine know no aggregate.',
      severity: 'error',
      from: { path: '^db/', pathNot: testCode },
      to: { path: ours, pathNot: '^(db|common)/' },
    },
    {
      name: 'read-models-below-the-api',
      comment:
        'projections/ (read models in PostgreSQL and Elasticsearch) build on db/, common/ and domain/ only. They import ' +
        'nothing from server/, not even env or logger: whoever runs a read model passes its configuration in.',
      severity: 'error',
      from: { path: '^projections/', pathNot: testCode },
      to: { path: ours, pathNot: '^(projections|db|common|domain)/' },
    },
    {
      name: 'commands-decide-on-the-log',
      comment:
        'server/commands/ decides on the event log, never on read models: a read model may lag behind the log, and a ' +
        'decision taken on it could break an invariant the log would have kept.',
      severity: 'error',
      from: { path: '^server/commands/', pathNot: testCode },
      to: { path: '^projections/' },
    },
    {
      name: 'commands-below-the-api',
      comment:
        'server/commands/ (command handlers) build on db/, common/ and domain/ only: routers call handlers, never the ' +
        'other way round, and a handler reads no server configuration.',
      severity: 'error',
      from: { path: '^server/commands/', pathNot: testCode },
      // projections/ is left to commands-decide-on-the-log, so a violation is reported once, under its reason.
      to: { path: ours, pathNot: '^(server/commands|db|common|domain|projections)/' },
    },
    {
      name: 'processes-and-reactors-below-the-api',
      comment:
        'processes/ and reactors/ react to the log: they build on db/, common/, domain/, the one command path ' +
        '(server/commands/) and the outside services through their clients. They import nothing of the API, env or ' +
        'the logger: whoever runs them passes their configuration in.',
      severity: 'error',
      from: { path: '^(processes|reactors)/', pathNot: testCode },
      to: {
        path: ours,
        pathNot: ['^(processes|reactors|db|common|domain|server/commands)/', '^services/payment-gateway/client\\.ts$'],
      },
    },
    {
      name: 'processes-decide-on-the-log',
      comment:
        'A process manager or a reactor decides on the event log, never on a read model, which may lag behind it: ' +
        'the fraud check counts orders from the customer\'s stream of checks, the mail reads the order\'s own stream.',
      severity: 'error',
      from: { path: '^(processes|reactors)/', pathNot: testCode },
      to: { path: '^projections/' },
    },
    {
      name: 'reactors-know-no-process',
      comment:
        'Reactors are choreographed: they react to events and know nothing of who produced them, so a reactor ' +
        'imports nothing from processes/ (and the fulfillment process nothing from reactors/).',
      severity: 'error',
      from: { path: '^reactors/', pathNot: testCode },
      to: { path: '^processes/' },
    },
    {
      name: 'process-knows-no-reactor',
      comment: 'The fulfillment process does not know who reacts to what it decides (the mail, the fraud check).',
      severity: 'error',
      from: { path: '^processes/', pathNot: testCode },
      to: { path: '^reactors/' },
    },
    {
      name: 'api-below-the-entry-points',
      comment:
        'The API and the server modules (server/trpc, server/routers, env, logger, db, search, run-mode, seed) may ' +
        'import everything below them, but not scripts/ or instrumentation.ts, which start them.',
      severity: 'error',
      from: { path: '^server/', pathNot: ['^server/(main|commands)/', ...testCode] },
      to: { path: ['^scripts/', '^instrumentation\\.ts$'] },
    },
    {
      name: 'entry-points-are-imported-by-none',
      comment:
        'server/main/ holds the process entry points (web start-up, the worker). They start the shop, so nothing ' +
        'of the shop imports them; only instrumentation.ts (Next.js start-up) and scripts/ do.',
      severity: 'error',
      from: { pathNot: ['^server/main/', '^scripts/', '^instrumentation\\.ts$', ...testCode] },
      to: { path: '^server/main/' },
    },
    {
      name: 'nothing-imports-pages',
      comment: 'app/ is the top layer: no server, read-model, script or test module imports a page, a component or a tRPC bridge.',
      severity: 'error',
      from: { pathNot: '^app/' },
      to: { path: '^app/' },
    },
    {
      name: 'pages-see-only-the-api',
      comment:
        'Pages and components (app/) import only common/, their own files and the API types: everything else reaches ' +
        'them through tRPC, so no server module lands in a page or a browser bundle. The exceptions are the two ' +
        'bridges of api-bridges-reach-only-the-api and the metrics route (metrics-bridge-reaches-only-the-endpoint).',
      severity: 'error',
      from: { path: '^app/', pathNot: [...apiBridges, ...authBridges, metricsBridge, progressBridge] },
      // server/routers/index.ts is left to pages-take-only-types-from-the-api, which allows its types.
      to: { path: ours, pathNot: ['^(app|common)/', '^server/routers/index\\.ts$'] },
    },
    {
      name: 'pages-take-only-types-from-the-api',
      comment:
        "A page takes the API's types from server/routers with `import type` (AppRouter and what is inferred from it), " +
        'never a value: a value import would bring the routers and everything under them into the page.',
      severity: 'error',
      from: { path: '^app/', pathNot: apiBridges },
      to: { path: '^server/routers/index\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'api-bridges-reach-only-the-api',
      comment:
        'Two files of app/ may call into the server: app/_trpc/server.tsx (server-only; React Server Components and ' +
        'server actions call the API through it) and app/api/trpc/[trpc]/route.ts (the HTTP adapter). They may import ' +
        'the router (server/routers), the tRPC context (server/trpc/init), the HTTP edge (server/trpc/http) and the ' +
        'logger, nothing else of the server.',
      severity: 'error',
      from: { path: apiBridges },
      to: {
        path: ours,
        pathNot: ['^(app|common)/', '^server/routers/index\\.ts$', '^server/trpc/(init|http)\\.ts$', '^server/logger\\.ts$'],
      },
    },
    {
      name: 'metrics-bridge-reaches-only-the-endpoint',
      comment:
        'app/api/metrics/route.ts serves the Prometheus scrape through server/telemetry/endpoint.ts alone, so the route ' +
        'stays a one-line adapter and the endpoint (token, lag, text) is tested without Next.js.',
      severity: 'error',
      from: { path: metricsBridge },
      to: { path: ours, pathNot: ['^server/telemetry/endpoint\\.ts$'] },
    },
    {
      name: 'progress-bridge-reaches-only-the-hub',
      comment:
        'app/api/progress/route.ts serves the progress stream through server/progress/index.ts alone, so the route stays ' +
        'a one-line adapter and the stream is tested without Next.js.',
      severity: 'error',
      from: { path: progressBridge },
      to: { path: ours, pathNot: ['^server/progress/index\\.ts$'] },
    },
    {
      name: 'auth-bridges-reach-only-sign-in',
      comment:
        "Two files of app/ reach better-auth directly: its HTTP adapter (app/api/auth/[...all]/route.ts) and the " +
        "sign-in forms' server actions (app/(auth)/actions.ts), which call its endpoints through server/auth/endpoint. " +
        'Who is signed in reaches every other page through the API (session.current).',
      severity: 'error',
      from: { path: authBridges },
      to: { path: ours, pathNot: ['^(app|common)/', '^server/auth/(index|endpoint)\\.ts$'] },
    },
    {
      name: 'e2e-drives-the-browser',
      comment:
        'e2e/ tests the shop as a user meets it, through the browser and the processes it starts: it imports nothing ' +
        'of ours outside e2e/, so a test never leans on internals a user cannot see. The one exception is ' +
        'scripts/zero-setup-shop.ts, which starts a zero-setup shop as a user does and knows nothing of it (zero-setup-shop-stands-alone).',
      severity: 'error',
      from: { path: '^e2e/' },
      to: { path: ours, pathNot: ['^e2e/', zeroSetupShop] },
    },
    {
      name: 'zero-setup-shop-stands-alone',
      comment:
        'scripts/zero-setup-shop.ts spawns `next start` on an embedded folder for the end-to-end specs and the benchmark alike: ' +
        'it imports nothing of ours, so an end-to-end spec that uses it still leans on no internal of the shop.',
      severity: 'error',
      from: { path: zeroSetupShop },
      to: { path: ours },
    },
    {
      name: 'contracts-stand-alone',
      comment:
        'contracts/ is the published contract between the shop and the services it does not deploy with (the ' +
        'warehouse): integration events, subjects and the transports that carry them. It imports nothing of ours, so ' +
        'a service can take it without taking the shop.',
      severity: 'error',
      from: { path: '^contracts/' },
      to: { path: ours, pathNot: '^contracts/' },
    },
    {
      name: 'warehouse-knows-only-the-contracts',
      comment:
        'services/warehouse/ is a service of its own that meets the shop only through the broker: it imports nothing ' +
        'of ours but contracts/, not even a type. Its tests may use db/ to make a database.',
      severity: 'error',
      from: { path: '^services/warehouse/', pathNot: testCode },
      to: { path: ours, pathNot: '^(contracts|services/warehouse)/' },
    },
    {
      name: 'warehouse-is-started-by-the-server',
      comment:
        "Only server/ (which runs it inside the shop's process when there is no broker) and the warehouse's own entry " +
        'point start the warehouse; the rest of the shop reaches it through integration/ and the broker.',
      severity: 'error',
      from: { pathNot: ['^server/', '^services/warehouse/', ...testCode] },
      to: { path: '^services/warehouse/' },
    },
    {
      name: 'integration-below-the-api',
      comment:
        'integration/ (the relay from the log to the broker, the inbox from the broker to the log) builds on db/, ' +
        'common/, domain/, contracts/ and the one command path, like processes/; whoever runs it passes the transport in.',
      severity: 'error',
      from: { path: '^integration/', pathNot: testCode },
      to: { path: ours, pathNot: '^(integration|contracts|db|common|domain|server/commands)/' },
    },
    {
      name: 'payment-gateway-knows-no-shop',
      comment:
        'services/payment-gateway/ simulates an outside payment gateway: it must work for any shop, so neither it nor ' +
        'its tests import the domain, the read models, the server or the pages. What the shop and the gateway share is ' +
        'the HTTP contract (contract.ts), nothing else.',
      severity: 'error',
      from: { path: '^services/payment-gateway/' },
      to: { path: ['^(app|common|contracts|domain|e2e|integration|projections|scripts|server)/', '^instrumentation\\.ts$'] },
    },
    {
      name: 'payment-gateway-needs-only-a-connection',
      comment:
        'Of db/, the gateway takes only the SqlClient type (db/sql.ts), so whoever starts it passes a connection to ' +
        'either driver in; its tables are its own, created by its own migrations. Its tests may use db/ to make a ' +
        'database.',
      severity: 'error',
      from: { path: '^services/payment-gateway/', pathNot: testCode },
      to: { path: '^db/', pathNot: '^db/sql\\.ts$' },
    },
    {
      name: 'payment-gateway-packages',
      comment:
        'The gateway is node:http, zod and pino, and the OpenTelemetry API (vendor-neutral, a no-op until a process ' +
        'installs a provider) for trace context over HTTP; any other package would be a dependency the service should not need.',
      severity: 'error',
      from: { path: '^services/payment-gateway/', pathNot: testCode },
      to: { path: '^node_modules/', pathNot: '^node_modules/(zod|pino|@opentelemetry/api)/' },
    },
    {
      name: 'payment-gateway-through-its-client',
      comment:
        "The shop reaches the gateway over HTTP through services/payment-gateway/client.ts only. The gateway's " +
        'internals (its server, tables, migrations) are for server/ alone, where the entry point that runs it lives.',
      severity: 'error',
      from: { pathNot: ['^server/', '^services/payment-gateway/', ...testCode] },
      to: { path: '^services/payment-gateway/', pathNot: '^services/payment-gateway/client\\.ts$' },
    },
    {
      name: 'no-test-code-in-production',
      comment:
        'Production code never imports test helpers (*.spec.ts, testing.ts, testing-hooks.ts, db/test-setup.ts), e2e/ ' +
        'or vitest: they would ship with the shop and bring test databases and assertions along.',
      severity: 'error',
      from: { pathNot: [...testCode, '^e2e/'] },
      to: { path: [...testCode, '^e2e/', '^node_modules/(vitest|@vitest/[^/]+)/'] },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycles: a cycle has no bottom, so its modules can only be understood, tested and loaded together, ' +
        'and ES modules in a cycle can see each other half-initialised.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'imports-resolve',
      comment:
        'Every import resolves to a file or an installed package: one dependency-cruiser cannot follow (a mistyped ' +
        'path, a broken alias) would slip past every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count too: they are how pages reach the API types, and how a layer could otherwise
    // quietly depend on another's shapes.
    tsPreCompilationDeps: true,
    // Resolves the `@/*` alias.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
  },
};
