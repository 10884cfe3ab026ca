import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startEmulator } from '../../support/emulator.ts';
import { readEvents } from '../../support/sse.ts';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { buildUser } from '../../support/factories.ts';

describe('conversations over REST with server-sent events', () => {
  let runtime: TestRuntime;
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  let otherKey: string;
  const call = (method: string, route: string, body?: unknown, key = runtime.apiKey, signal?: AbortSignal) =>
    fetch(`${runtime.url}/api${route}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
      ...(signal ? { signal } : {}),
    });
  const newConversation = async (key = runtime.apiKey) =>
    (await (await call('POST', '/conversations', { assistant: 'chip-design-helper' }, key)).json()).conversation.id as string;

  before(async () => {
    // Slow tokens, so an answer can be stopped half way.
    emulator = await startEmulator({ tokensPerSecond: 40 });
    runtime = await startTestRuntime({ LLM_BASE_URL: emulator.url, LLM_MODEL: 'meta/llama-3.1-8b-instruct' });
    await waitFor(async () => {
      const { documents } = await (await call('GET', '/collections/chip-design/documents')).json();
      return documents?.length && documents.every((d: { status: string }) => d.status === 'ready') ? true : undefined;
    }, 'the demo seed');
    otherKey = (await buildUser(runtime.services, { email: 'other@example.com' })).apiKey;
  });
  after(async () => {
    await runtime?.dispose();
    await emulator?.emulator.close();
  });

  it('streams an answer with citations and stores both messages', async () => {
    const id = await newConversation();
    const events = await readEvents(
      await call('POST', `/conversations/${id}/messages`, { content: 'Which register field names the multicast destination?' }),
    );
    assert.deepEqual([...new Set(events.map((e) => e.event))], ['start', 'citations', 'mode', 'token', 'done']);
    const citations = events.find((e) => e.event === 'citations')!.data.citations as { title: string }[];
    assert.ok(
      citations.some((c) => c.title === 'RTL Coding Guidelines'),
      JSON.stringify(citations.map((c) => c.title)),
    );
    const done = events.at(-1)!.data;
    assert.deepEqual([done.status, done.error], ['complete', null]);
    const streamed = events
      .filter((e) => e.event === 'token')
      .map((e) => e.data.text)
      .join('');
    const { conversation, messages } = await (await call('GET', `/conversations/${id}`)).json();
    assert.equal(conversation.title, 'Which register field names the multicast destination?');
    assert.deepEqual(
      messages.map((m: { role: string; status: string }) => [m.role, m.status]),
      [
        ['user', 'complete'],
        ['assistant', 'complete'],
      ],
    );
    assert.deepEqual([messages[1].content, messages[1].answerMode, messages[1].citations.length], [streamed, 'llm', citations.length]);
  });

  it('keeps a stopped answer as cancelled, with the text streamed so far', async () => {
    const id = await newConversation();
    const controller = new AbortController();
    let tokens = 0;
    const response = await call(
      'POST',
      `/conversations/${id}/messages`,
      { content: 'How is hold fixed after clock tree synthesis?' },
      runtime.apiKey,
      controller.signal,
    );
    await readEvents(response, (event) => {
      if (event.event === 'token' && ++tokens === 3) controller.abort();
    }).catch((error: unknown) => {
      if (!controller.signal.aborted) throw error;
    });
    const answer = await waitFor(async () => {
      const { messages } = await (await call('GET', `/conversations/${id}`)).json();
      return messages[1]?.status === 'streaming' ? undefined : messages[1];
    }, 'the stored answer');
    assert.equal(answer.status, 'cancelled');
    assert.ok(answer.content.length > 0, 'the partial answer is kept');
  });

  it('stores feedback per answer, replacing an earlier rating, and refuses rating a question', async () => {
    const id = await newConversation();
    await readEvents(await call('POST', `/conversations/${id}/messages`, { content: 'What does UPF isolation clamp to?' }));
    const { messages } = await (await call('GET', `/conversations/${id}`)).json();
    assert.equal((await call('POST', `/messages/${messages[1].id}/feedback`, { rating: 'up' })).status, 204);
    assert.equal(
      (await call('POST', `/messages/${messages[1].id}/feedback`, { rating: 'down', comment: 'Missed the retention part.' })).status,
      204,
    );
    const after = (await (await call('GET', `/conversations/${id}`)).json()).messages[1];
    assert.deepEqual(after.feedback, { rating: -1, comment: 'Missed the retention part.' });
    assert.equal((await call('POST', `/messages/${messages[0].id}/feedback`, { rating: 'up' })).status, 400);
    assert.equal((await call('POST', `/messages/${messages[1].id}/feedback`, { rating: 'sideways' })).status, 400);
  });

  it("keeps each user's conversations to themselves", async () => {
    const id = await newConversation();
    assert.equal((await call('GET', `/conversations/${id}`, undefined, otherKey)).status, 404);
    assert.equal((await call('POST', `/conversations/${id}/messages`, { content: 'hello' }, otherKey)).status, 404);
    const theirs = await (await call('GET', '/conversations', undefined, otherKey)).json();
    assert.deepEqual(theirs.conversations, []);
  });

  it('refuses an empty question and an unknown assistant with the field named', async () => {
    const id = await newConversation();
    const empty = await call('POST', `/conversations/${id}/messages`, { content: '   ' });
    assert.deepEqual([empty.status, (await empty.json()).error.message], [400, 'content: the question is empty']);
    assert.equal((await call('POST', '/conversations', { assistant: 'nope' })).status, 404);
  });

  it("renames a conversation and finds conversations by title or message text, only the asker's own", async () => {
    const id = await newConversation();
    await readEvents(await call('POST', `/conversations/${id}/messages`, { content: 'How are resets synchronized?' }));
    const renamed = await call('PATCH', `/conversations/${id}`, { title: 'Reset strategy' });
    assert.equal((await renamed.json()).conversation.title, 'Reset strategy');
    assert.equal((await call('PATCH', `/conversations/${id}`, { title: '  ' })).status, 400);
    assert.equal((await call('PATCH', `/conversations/${id}`, { title: 'Mine now' }, otherKey)).status, 404);
    const search = async (q: string, key = runtime.apiKey) =>
      (
        (await (await call('GET', `/conversations?q=${encodeURIComponent(q)}`, undefined, key)).json()).conversations as { id: string }[]
      ).map((c) => c.id);
    assert.deepEqual(await search('reset STRATEGY'), [id], 'by title, any case');
    assert.ok((await search('synchronized')).includes(id), 'by the text of a message');
    assert.deepEqual(await search('100%_'), [], 'LIKE wildcards are taken literally');
    assert.deepEqual(await search('Reset', otherKey), []);
  });

  it('keeps the label of an extractive answer for a reloaded conversation', async () => {
    await emulator.emulator.close();
    const id = await newConversation();
    await readEvents(await call('POST', `/conversations/${id}/messages`, { content: 'Which suffix do registered signals use?' }));
    const { messages } = await (await call('GET', `/conversations/${id}`)).json();
    assert.equal(messages[1].answerMode, 'extractive');
    assert.match(messages[1].notice, /language model is unavailable/);
  });
});
