import { EmbeddedDatabaseInUseError } from '@/db/embedded-lock';

/**
 * Runs a script's body. A database another process holds ends the script with that explanation alone;
 * anything else with the full error.
 */
export async function main(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (error) {
    console.error(error instanceof EmbeddedDatabaseInUseError ? error.message : error);
    process.exitCode = 1;
  }
}
