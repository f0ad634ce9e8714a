import { EmbeddedDatabaseInUseError } from '@/db/embedded-lock';

/** A refusal or a missing setting: its message is all the person at the terminal needs. */
export class ScriptRefusal extends Error {}

/**
 * Runs a script's body; every script's errors end here. A refusal, or a database another process holds, ends
 * the script with its explanation alone; anything else with the full error.
 */
export async function main(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    const explained = error instanceof ScriptRefusal || error instanceof EmbeddedDatabaseInUseError;
    console.error(explained ? error.message : error);
    process.exitCode = 1;
  }
}
