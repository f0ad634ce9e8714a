import { dropTemplate, prepareTemplate } from './testing';

/** vitest global setup for the integration project: one freshly migrated template database per run, dropped after it. */
export default async function setup(): Promise<() => Promise<void>> {
  await prepareTemplate();
  return dropTemplate;
}
