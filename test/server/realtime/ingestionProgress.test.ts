import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io, type Socket } from 'socket.io-client';
import type { IngestionJobView } from '../../../server/corpus/ingestionJobs.ts';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { buildUser } from '../../support/factories.ts';

describe('ingestion progress over socket.io', () => {
  let runtime: TestRuntime;
  let memberKey: string;
  const sockets: Socket[] = [];

  const connect = (token?: string) => {
    const socket = io(runtime.url, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  };
  const emit = (socket: Socket, event: string, payload: unknown) =>
    socket.timeout(5000).emitWithAck(event, payload) as Promise<{ ok?: true; error?: { code: string; message: string } }>;

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    await createOpenCollection(runtime, 'timing');
    memberKey = (await buildUser(runtime.services, { email: 'reader@example.com' })).apiKey;
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await runtime?.dispose();
  });

  it('refuses a connection without a valid API key', async () => {
    const socket = connect('tap_not_a_real_key');
    const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
    assert.match(error.message, /unauthenticated/);
  });

  it("streams a job's stages to the collection's room until it completes", async () => {
    const socket = connect(runtime.apiKey);
    assert.deepEqual(await emit(socket, 'ingestion:watch', { collection: 'timing' }), { ok: true });
    const events: IngestionJobView[] = [];
    socket.on('ingestion:progress', (event: IngestionJobView) => events.push(event));
    const form = new FormData();
    const sections = Array.from(
      { length: 40 },
      (_, i) => `## Corner ${i}\n\n${'Setup and hold are signed off at this corner with OCV derates. '.repeat(40)}`,
    );
    form.append('files', new Blob([`# Sign-off corners\n\n${sections.join('\n\n')}`]), 'corners.md');
    const response = await fetch(`${runtime.url}/api/collections/timing/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}` },
      body: form,
    });
    const jobId = (await response.json()).jobs[0].id;
    const last = await waitFor(async () => events.find((e) => e.id === jobId && e.state === 'completed'), 'the completed event');
    const stages = events.filter((e) => e.id === jobId).map((e) => e.stage.split(' ')[0]);
    assert.deepEqual([...new Set(stages)], ['parsing', 'embedding', 'storing', 'done']);
    assert.deepEqual([last.progress, last.etaSeconds, last.filename], [100, null, 'corners.md']);
    const progress = events.filter((e) => e.id === jobId).map((e) => e.progress);
    assert.deepEqual(
      progress,
      [...progress].sort((a, b) => a - b),
      'progress only goes up',
    );
  });

  it('keeps readers out of the ingestion room, with the REST error shape', async () => {
    const socket = connect(memberKey);
    assert.deepEqual(await emit(socket, 'ingestion:watch', { collection: 'timing' }), {
      error: { code: 'forbidden', message: 'You can read "timing" but not change it: ask an admin for edit rights.' },
    });
    assert.equal((await emit(socket, 'ingestion:watch', {})).error?.code, 'invalid_request');
  });
});
