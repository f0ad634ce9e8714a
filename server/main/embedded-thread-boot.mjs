// The embedded database's thread starts here (see server/main/web.ts): the web server that starts it is
// compiled by Next.js, the thread's code is TypeScript read from the sources, so tsx compiles it on the way in,
// as it does for `npm run worker`.
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(pathToFileURL(workerData.entry).href);
