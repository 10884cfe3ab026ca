import net from 'node:net';
import type { TestContext } from 'node:test';

export const inCI = process.env.CI === 'true';

export function portAnswers(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * A test that needs an absent service skips with a loud message on a developer's machine,
 * and fails under CI=true, where .ci/run is responsible for providing it.
 */
export function skipOrFail(t: TestContext, available: boolean, what: string): boolean {
  if (available) return false;
  const message = `${what} is not available`;
  if (inCI) throw new Error(`${message}, and CI=true requires it`);
  console.warn(`\n!!! SKIPPED: ${message}. Install or start it to run this test. !!!\n`);
  t.skip(message);
  return true;
}

export const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const redisAvailable = () => portAnswers('127.0.0.1', Number(new URL(redisUrl).port || 6379));
