import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../support/emulator.ts';
import { startTapeoutProcess, type TapeoutProcess } from '../support/tapeoutProcess.ts';
import { testAdminKey, waitFor } from '../support/testRuntime.ts';

/**
 * `tapeout start` runs the embedded database in a process of its own. Killed (SIGKILL) in the
 * middle of a streamed answer, it is restarted by the server; meanwhile requests are answered 503
 * with a clear message, and afterwards the answer streamed across the restart is stored, as is
 * every answer stored before it.
 */
describe('the embedded database process, killed mid-conversation', () => {
  let dataDir: string;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let server: TapeoutProcess | undefined;

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-dbproc-'));
    // 10 tokens a second: an answer streams for about two seconds, ending before the killed
    // database is back (a restart takes seconds), so storing it must wait for the restart.
    emulator = await startEmulator({ tokensPerSecond: 10 });
  });
  after(async () => {
    server?.child.kill('SIGKILL');
    await emulator?.emulator.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers 503 while it is away, comes back, and loses no stored answer', async () => {
    server = await startTapeoutProcess(
      {
        DATA_DIR: dataDir,
        SEED_DEMO: 'false',
        ADMIN_API_KEY: testAdminKey,
        LLM_BASE_URL: emulator.url,
        LLM_MODEL: 'meta/llama-3.1-8b-instruct',
      },
      90_000,
    );
    const databasePid = Number(/"pid":(\d+),"msg":"the embedded database process is serving"/.exec(server.output())?.[1]);
    assert.ok(databasePid > 0 && databasePid !== server.child.pid, 'the database runs in a process of its own');
    const api = (route: string, init: RequestInit = {}) =>
      fetch(`${server!.url}/api${route}`, {
        ...init,
        headers: { authorization: `Bearer ${testAdminKey}`, 'content-type': 'application/json', ...init.headers },
      });

    await api('/collections', { method: 'POST', body: JSON.stringify({ slug: 'sta', name: 'STA' }) });
    const form = new FormData();
    form.append(
      'files',
      new Blob(['# Hold fixing\n\nHold violations on the scan path are fixed with delay cells after CTS, never before.']),
      'hold.md',
    );
    const upload = await fetch(`${server.url}/api/collections/sta/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${testAdminKey}` },
      body: form,
    });
    const jobId: string = (await upload.json()).jobs[0].id;
    await waitFor(
      async () => ((await (await api(`/jobs/${jobId}`)).json()).state === 'completed' ? true : undefined),
      'the upload',
      60_000,
    );
    await api('/assistants', {
      method: 'POST',
      body: JSON.stringify({ slug: 'sta-helper', name: 'STA helper', systemPrompt: 'Answer from the sources.', collections: ['sta'] }),
    });
    const { conversation } = await (
      await api('/conversations', { method: 'POST', body: JSON.stringify({ assistant: 'sta-helper' }) })
    ).json();
    const ask = (content: string) =>
      api(`/conversations/${conversation.id}/messages`, { method: 'POST', body: JSON.stringify({ content }) });

    const before = await (await ask('When are hold violations on the scan path fixed?')).text();
    assert.match(before, /event: done\ndata: \{[^\n]*"status":"complete"/);

    const streaming = await ask('Which cells fix hold violations?');
    const reader = streaming.body!.getReader();
    const decoder = new TextDecoder();
    let stream = '';
    while (!stream.includes('event: token')) stream += decoder.decode((await reader.read()).value, { stream: true });
    process.kill(databasePid, 'SIGKILL');

    const meanwhile = await waitFor(
      async () => {
        const response = await api('/conversations');
        return response.status === 503 ? response.json() : undefined;
      },
      'a 503 while the database is away',
      10_000,
    );
    assert.equal(meanwhile.error.code, 'database_unavailable');
    assert.match(meanwhile.error.message, /database is not reachable/);

    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) stream += decoder.decode(chunk.value, { stream: true });
    assert.match(stream, /event: done\ndata: \{[^\n]*"status":"complete"/, 'the answer streamed across the restart finished');

    await waitFor(async () => ((await api('/conversations')).status === 200 ? true : undefined), 'the database back', 30_000);
    const { messages } = await (await api(`/conversations/${conversation.id}`)).json();
    assert.deepEqual(
      messages.map((message: { role: string; status: string }) => `${message.role}:${message.status}`),
      ['user:complete', 'assistant:complete', 'user:complete', 'assistant:complete'],
    );
    const answers = messages.filter((message: { role: string }) => message.role === 'assistant');
    assert.ok(
      answers.every((answer: { content: string }) => answer.content.length > 20),
      'both answers keep their text',
    );
    assert.match(server.output(), /the embedded database process is serving again/);
  });
});
