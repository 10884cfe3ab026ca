import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';

const scimToken = 'scim-test-token-0123456789abcdef0123456789';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

describe('SCIM 2.0 provisioning', () => {
  let runtime: TestRuntime;

  const scim = async (method: string, path: string, body?: unknown, token = scimToken) => {
    const response = await fetch(`${runtime.url}/scim/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      type: response.headers.get('content-type') ?? '',
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- SCIM answers are read as loose JSON here
      body: text ? (JSON.parse(text) as Record<string, any>) : undefined,
    };
  };
  const signIn = async (email: string, password: string) => {
    const response = await fetch(`${runtime.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    assert.equal(response.status, 200, await response.clone().text());
    return response.headers.getSetCookie()[0]!.split(';')[0]!;
  };

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false', SCIM_TOKEN: scimToken });
  });
  after(async () => runtime?.dispose());

  it("answers a wrong or missing token with 401 in SCIM's error shape", async () => {
    const wrong = await scim('GET', '/Users', undefined, 'not-the-token');
    assert.equal(wrong.status, 401);
    assert.match(wrong.type, /application\/scim\+json/);
    assert.deepEqual(wrong.body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '401',
      detail: 'Missing or wrong bearer token.',
    });
  });

  it('describes itself: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
    assert.equal((await scim('GET', '/ServiceProviderConfig')).body?.patch.supported, true);
    assert.deepEqual(
      (await scim('GET', '/ResourceTypes')).body?.Resources.map((type: { id: string }) => type.id),
      ['User', 'Group'],
    );
    assert.deepEqual(
      (await scim('GET', '/Schemas')).body?.Resources.map((schema: { id: string }) => schema.id),
      [userSchema, groupSchema],
    );
  });

  it("takes Okta's sequence: look up by userName, create, push a group, deactivate with replace {active:false}", async () => {
    const lookup = await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq "ana@example.com"') + '&startIndex=1&count=100');
    assert.deepEqual(lookup.body, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      startIndex: 1,
      itemsPerPage: 0,
      Resources: [],
    });
    const created = await scim('POST', '/Users', {
      schemas: [userSchema],
      userName: 'ana@example.com',
      name: { givenName: 'Ana', familyName: 'Silva' },
      emails: [{ primary: true, value: 'ana@example.com', type: 'work' }],
      displayName: 'Ana Silva',
      locale: 'en-US',
      externalId: '00u1okta',
      groups: [],
      password: 'ignored-by-tapeout',
      active: true,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body?.userName, 'ana@example.com');
    assert.equal(created.body?.active, true);
    const id = created.body!.id as string;
    assert.equal((await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq "ANA@example.com"'))).body?.Resources[0].id, id);
    assert.equal((await scim('POST', '/Users', { schemas: [userSchema], userName: 'ana@example.com' })).body?.scimType, 'uniqueness');

    const group = await scim('POST', '/Groups', { schemas: [groupSchema], displayName: 'rtl-team', members: [] });
    assert.equal(group.status, 201);
    const groupId = group.body!.id as string;
    const added = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: 'ana@example.com' }] }],
    });
    assert.deepEqual(added.body?.members, [{ value: id, display: 'ana@example.com' }]);
    assert.equal(
      (await scim('GET', `/Groups?filter=${encodeURIComponent('displayName eq "rtl-team"')}&excludedAttributes=members`)).body?.Resources[0]
        .members,
      undefined,
    );
    const removed = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [patchOp],
      Operations: [{ op: 'remove', path: `members[value eq "${id}"]` }],
    });
    assert.deepEqual(removed.body?.members, []);

    const deactivated = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    assert.equal(deactivated.body?.active, false);
  });

  it('takes Entra ID\'s sequence: filter by externalId, "Replace" with string booleans, member Add and Remove by value', async () => {
    assert.equal((await scim('GET', '/Users?filter=' + encodeURIComponent('externalId eq "entra-42"'))).body?.totalResults, 0);
    const created = await scim('POST', '/Users', {
      schemas: [userSchema, 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      externalId: 'entra-42',
      userName: 'kenji@example.com',
      active: true,
      displayName: 'Kenji Sato',
      emails: [{ primary: true, type: 'work', value: 'kenji@example.com' }],
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Physical design' },
    });
    const id = created.body!.id as string;
    const renamed = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Replace', path: 'displayName', value: 'Kenji Satō' }],
    });
    assert.equal(renamed.body?.displayName, 'Kenji Satō');
    const group = await scim('POST', '/Groups', { schemas: [groupSchema], externalId: 'entra-group-1', displayName: 'pd-team' });
    const groupId = group.body!.id as string;
    await scim('PATCH', `/Groups/${groupId}`, { schemas: [patchOp], Operations: [{ op: 'Add', path: 'members', value: [{ value: id }] }] });
    assert.equal((await scim('GET', `/Users/${id}`)).body?.groups[0].display, 'pd-team');
    await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Remove', path: 'members', value: [{ value: id }] }],
    });
    assert.deepEqual((await scim('GET', `/Users/${id}`)).body?.groups, []);
    const off = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    assert.equal(off.body?.active, false);
    assert.equal((await scim('DELETE', `/Users/${id}`)).status, 204);
    assert.equal((await scim('GET', `/Users/${id}`)).status, 404);
  });

  it("ends a deactivated user's access at once: sessions, API keys and open sockets", async () => {
    const user = await runtime.services.users.register({ email: 'lena@example.com', role: 'member', password: 'lena password 12' });
    const key = 'tap_lena_0123456789abcdef0123456789';
    await runtime.services.users.addApiKey(user.id, key, 'laptop');
    const cookie = await signIn('lena@example.com', 'lena password 12');
    const socket = io(runtime.url, { transports: ['websocket'], auth: { token: key } });
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    const closed = new Promise<void>((resolve) => socket.on('disconnect', () => resolve()));

    const result = await scim('PATCH', `/Users/${user.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'replace', path: 'active', value: false }],
    });
    assert.equal(result.status, 200);
    await closed;
    assert.equal((await fetch(`${runtime.url}/api/me`, { headers: { cookie } })).status, 401);
    assert.equal((await fetch(`${runtime.url}/api/me`, { headers: { authorization: `Bearer ${key}` } })).status, 401);
    const again = await fetch(`${runtime.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'lena@example.com', password: 'lena password 12' }),
    });
    assert.equal(again.status, 401);
    const { rows } = await runtime.services.db.query<{ action: string; actor_email: string }>(
      `SELECT action, actor_email FROM audit_events WHERE target_id = $1 ORDER BY id`,
      [user.id],
    );
    assert.deepEqual(rows, [{ action: 'scim.user_deactivated', actor_email: 'SCIM' }]);
    socket.close();
  });

  it("answers malformed requests with 400 in SCIM's shape, changing nothing", async () => {
    const notJson = await scim('POST', '/Users', '{"userName": ');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.body?.scimType, 'invalidSyntax');
    const noUserName = await scim('POST', '/Users', { schemas: [userSchema], emails: [] });
    assert.equal(noUserName.status, 400);
    assert.equal(noUserName.body?.scimType, 'invalidValue');
    const badFilter = await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq'));
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.body?.scimType, 'invalidFilter');
    const { body: group } = await scim('POST', '/Groups', { schemas: [groupSchema], displayName: 'verification' });
    const badPatch = await scim('PATCH', `/Groups/${group!.id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: '00000000-0000-0000-0000-000000000000' }] }],
    });
    assert.equal(badPatch.status, 400);
    assert.deepEqual((await scim('GET', `/Groups/${group!.id}`)).body?.members, []);
    const noOps = await scim('PATCH', `/Groups/${group!.id}`, { schemas: [patchOp], Operations: [] });
    assert.equal(noOps.status, 400);
  });

  it('finds users with filters beyond the indexed ones', async () => {
    const list = await scim('GET', '/Users?filter=' + encodeURIComponent('emails.value co "ana@" and active eq false'));
    assert.deepEqual(
      list.body?.Resources.map((user: { userName: string }) => user.userName),
      ['ana@example.com'],
    );
  });
});
