import { prepareTemplate } from './testing';

/** vitest global setup for the integration project: one freshly migrated template database per run. */
export default async function setup(): Promise<void> {
  await prepareTemplate();
}
