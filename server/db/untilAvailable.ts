import { DatabaseUnavailableError } from '../errors.ts';

/**
 * Runs `write` again while the database is unreachable (restarting), for at most `withinMs`:
 * an answer streamed while the embedded database process restarts is still stored once it is
 * back. Other errors, and the last unavailability, are thrown.
 */
export async function untilAvailable<T>(write: () => Promise<T>, withinMs = 60_000, everyMs = 500): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError) || Date.now() + everyMs > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  }
}
