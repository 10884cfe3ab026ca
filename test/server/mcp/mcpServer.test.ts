import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { systemActor } from '../../../server/access/systemActor.ts';
import { buildAssistant, buildCollection, buildUser } from '../../support/factories.ts';
import { startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';

type Structured<T> = { structuredContent?: T; isError?: boolean; content: { type: string; text?: string }[] };
type Passages = { passages: { title: string; text: string; citation: string; path: string | null }[] };

/** An MCP client of the official SDK, over Streamable HTTP, signed in with a bearer token. */
async function connect(runtime: TestRuntime, token: string): Promise<Client> {
  const client = new Client({ name: 'tapeout-spec', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${runtime.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
  );
  return client;
}

const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};

async function rawPost(runtime: TestRuntime, headers: Record<string, string>, body: unknown = initialize): Promise<Response> {
  return fetch(`${runtime.url}/mcp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Tapeout as an MCP server, driven by the SDK's own client: every tool and resource answers
 * under the caller's grants exactly as the web chat does, and a credential that ends ends its
 * sessions.
 */
describe('MCP server (/mcp)', () => {
  let runtime: TestRuntime;
  let member: { apiKey: string; id: string };
  let admin: Client;
  let asMember: Client;

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    const { services } = runtime;
    member = await buildUser(services, { email: 'mcp-member@example.com' });
    await buildCollection(services, { slug: 'rtl-guide', grants: { everyone: 'read' } });
    await buildCollection(services, { slug: 'board-only' });
    await uploadAndWait(
      runtime,
      'rtl-guide',
      'clock-domains.md',
      '# Clock domain crossings\n\nEvery clock domain crossing uses a two-flop synchroniser named sync2_ff; gray-code the pointers of asynchronous FIFOs.\n',
    );
    await uploadAndWait(
      runtime,
      'board-only',
      'respin.md',
      '# Respin budget\n\nThe board approved a respin budget of four million dollars, code ZEPHYRFUND, for the clock domain rework.\n',
    );
    await buildAssistant(services, { slug: 'chip-helper', collections: ['rtl-guide', 'board-only'] });
    admin = await connect(runtime, runtime.apiKey);
    asMember = await connect(runtime, member.apiKey);
  });

  after(async () => {
    await admin?.close();
    await asMember?.close();
    await runtime?.dispose();
  });

  it('lists search, ask and list_assistants, read-only, each with its output schema', async () => {
    const { tools } = await asMember.listTools();
    assert.deepEqual(tools.map((tool) => tool.name).sort(), ['ask', 'list_assistants', 'search']);
    for (const tool of tools) {
      assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
      assert.equal(tool.outputSchema?.type, 'object', tool.name);
    }
    const search = tools.find((tool) => tool.name === 'search')!;
    assert.deepEqual(search.inputSchema.required, ['query']);
  });

  it('searches every collection the caller may read: an admin finds the board-only passage, a member never does', async () => {
    const query = { name: 'search', arguments: { query: 'respin budget code for the clock domain rework' } };
    const asAdmin = (await admin.callTool(query)) as Structured<Passages>;
    assert.ok(asAdmin.structuredContent!.passages.some((passage) => passage.text.includes('ZEPHYRFUND')));
    const memberResult = (await asMember.callTool(query)) as Structured<Passages>;
    assert.equal(memberResult.isError, undefined);
    assert.ok(memberResult.structuredContent!.passages.length > 0, 'the member still finds what it may read');
    assert.ok(!JSON.stringify(memberResult).includes('ZEPHYRFUND'));
    const cited = memberResult.structuredContent!.passages[0]!;
    assert.match(cited.citation, /\/sources\/\d+$/);
    assert.equal(cited.path, 'clock-domains.md');
  });

  it('refuses a collection the caller may not read as not found, and searches through an assistant only what the caller may read', async () => {
    const refused = (await asMember.callTool({
      name: 'search',
      arguments: { query: 'respin', collection: 'board-only' },
    })) as Structured<Passages>;
    assert.equal(refused.isError, true);
    assert.match(refused.content[0]!.text!, /^not_found: Collection "board-only" was not found/);
    const through = (await asMember.callTool({
      name: 'search',
      arguments: { query: 'respin budget ZEPHYRFUND', assistant: 'chip-helper' },
    })) as Structured<Passages>;
    assert.ok(!JSON.stringify(through).includes('ZEPHYRFUND'));
  });

  it('asks an assistant as the web chat does, saying the answer quotes passages when no LLM wrote it', async () => {
    const question = { name: 'ask', arguments: { assistant: 'chip-helper', question: 'What is the respin budget code?' } };
    type Answer = { answer: string; answerMode: string; notice: string | null; citations: { citation: string; title: string }[] };
    const forAdmin = ((await admin.callTool(question)) as Structured<Answer>).structuredContent!;
    assert.equal(forAdmin.answerMode, 'extractive');
    assert.match(forAdmin.notice!, /No language model is configured/);
    assert.match(forAdmin.answer, /ZEPHYRFUND/);
    assert.ok(forAdmin.citations.every((cited) => /\/sources\/\d+$/.test(cited.citation)));
    const forMember = (await asMember.callTool(question)) as Structured<Answer>;
    assert.ok(!JSON.stringify(forMember).includes('ZEPHYRFUND'));
    const unknown = (await asMember.callTool({ name: 'ask', arguments: { assistant: 'nope', question: 'Hi?' } })) as Structured<Answer>;
    assert.equal(unknown.isError, true);
    assert.match(unknown.content[0]!.text!, /Assistant "nope" was not found/);
  });

  it('lists the assistants with only the collections the caller may read', async () => {
    type Listed = { assistants: { slug: string; collections: string[] }[] };
    const listed = ((await asMember.callTool({ name: 'list_assistants', arguments: {} })) as Structured<Listed>).structuredContent!;
    assert.deepEqual(listed.assistants, [{ slug: 'chip-helper', name: 'chip-helper', description: '', collections: ['rtl-guide'] }]);
  });

  it('gives the documents the caller may read as resources, and no other', async () => {
    const mine = await asMember.listResources();
    assert.deepEqual(
      mine.resources.map((resource) => resource.name),
      ['Clock domain crossings'],
    );
    const text = await asMember.readResource({ uri: mine.resources[0]!.uri });
    assert.match((text.contents[0] as { text: string }).text, /two-flop synchroniser named sync2_ff/);
    const all = await admin.listResources();
    const board = all.resources.find((resource) => resource.name === 'Respin budget')!;
    await assert.rejects(asMember.readResource({ uri: board.uri }), /was not found/);
  });

  it('refuses a made-up key, pointing at the protected-resource metadata', async () => {
    const response = await rawPost(runtime, { authorization: 'Bearer tap_made_up_key_0000000000000000' });
    assert.equal(response.status, 401);
    assert.match(
      response.headers.get('www-authenticate')!,
      /^Bearer resource_metadata="[^"]+\/\.well-known\/oauth-protected-resource\/mcp", error="invalid_token"/,
    );
    assert.equal(((await response.json()) as { error: { code: string } }).error.code, 'unauthenticated');
    await assert.rejects(connect(runtime, 'tap_made_up_key_0000000000000000'), /401|Unauthorized|invalid/i);
  });

  it("refuses another web page's origin, and another caller presenting someone's session id", async () => {
    const foreign = await rawPost(runtime, { authorization: `Bearer ${member.apiKey}`, origin: 'http://evil.example' });
    assert.equal(foreign.status, 403);
    const opened = await rawPost(runtime, { authorization: `Bearer ${member.apiKey}` });
    assert.equal(opened.status, 200);
    const sessionId = opened.headers.get('mcp-session-id')!;
    await opened.body?.cancel();
    const hijack = await rawPost(
      runtime,
      { authorization: `Bearer ${runtime.apiKey}`, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' },
      { jsonrpc: '2.0', id: 2, method: 'tools/list' },
    );
    assert.equal(hijack.status, 404);
  });

  it("ends a revoked key's sessions at once, their open streams included", async () => {
    const { services } = runtime;
    const holder = await buildUser(services, { email: 'mcp-revoked@example.com' });
    const client = await connect(runtime, holder.apiKey);
    await client.listTools();
    // A second session of the same key, holding the server's stream (GET) open.
    const headers = { authorization: `Bearer ${holder.apiKey}` };
    const opened = await rawPost(runtime, headers);
    const sessionId = opened.headers.get('mcp-session-id')!;
    await opened.body?.cancel();
    const inSession = { ...headers, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' };
    await (await rawPost(runtime, inSession, { jsonrpc: '2.0', method: 'notifications/initialized' })).body?.cancel();
    const stream = await fetch(`${runtime.url}/mcp`, { headers: { ...inSession, accept: 'text/event-stream' } });
    assert.equal(stream.status, 200);
    const streamEnded = stream.text();
    const sessionsBefore = await openSessions(runtime);
    const key = (await services.apiKeys.list(systemActor)).find((listed) => listed.owner === holder.email)!;
    await services.apiKeys.revoke(systemActor, key.id);
    await streamEnded;
    assert.equal(await openSessions(runtime), sessionsBefore - 2);
    await assert.rejects(client.listTools(), /401|Session not found|invalid/i);
    const after = await rawPost(runtime, inSession, { jsonrpc: '2.0', id: 3, method: 'tools/list' });
    assert.equal(after.status, 401);
    await client.close();
  });
});

/** The MCP sessions gauge, as /metrics reports it. */
async function openSessions(runtime: TestRuntime): Promise<number> {
  const text = await (await fetch(`${runtime.url}/metrics`, { headers: { authorization: `Bearer ${runtime.apiKey}` } })).text();
  return Number(/^tapeout_mcp_sessions (\d+)/m.exec(text)?.[1] ?? NaN);
}
