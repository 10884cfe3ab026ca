import type { ServiceEndpoint } from '../../server/config/index.ts';
import { ServiceClient, type ServiceClientOptions } from '../../server/inference/http/ServiceClient.ts';
import { NimEmulator } from '../../server/inference/nimEmulator/NimEmulator.ts';
import type { NimEmulatorOptions } from '../../server/inference/nimEmulator/options.ts';

export async function startEmulator(options: Partial<NimEmulatorOptions> = {}): Promise<{ emulator: NimEmulator; url: string }> {
  const emulator = new NimEmulator(options);
  return { emulator, url: await emulator.listen() };
}

/** Fast retries and breakers so fault tests take milliseconds. */
export const fastClientOptions: Partial<ServiceClientOptions> = {
  timeoutMs: 2_000,
  maxAttempts: 3,
  initialBackoffMs: 10,
  failureThreshold: 2,
  halfOpenAfterMs: 300,
};

export function serviceClient(service: string, baseUrls: string[], model: string, options: Partial<ServiceClientOptions> = {}) {
  const endpoint: ServiceEndpoint = { baseUrls, model, apiKey: undefined };
  return new ServiceClient(service, endpoint, { ...fastClientOptions, ...options });
}

/** An address where nothing listens (port 9, discard, is closed on these machines). */
export const deadUrl = 'http://127.0.0.1:9/v1';
