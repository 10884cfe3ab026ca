import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { io } from 'socket.io-client';
import { startTestRuntime, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

const scimToken = 'scim-test-token-0123456789abcdef0123456789';
const userSchema = 'urn:ietf:params:scim:schemas:core:2.0:User';
const groupSchema = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const enterpriseSchema = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const patchOp = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const searchRequest = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';
/** Members as value and display: the answers also carry $ref and type. */
const members = (group: Record<string, unknown> | undefined) =>
  ((group?.members ?? []) as { value: string; display: string }[]).map(({ value, display }) => ({ value, display }));

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

  const adminUsers = async () => {
    const response = await fetch(`${runtime.url}/api/users`, { headers: { authorization: `Bearer ${runtime.apiKey}` } });
    assert.equal(response.status, 200);
    return ((await response.json()) as { users: { id: string; email: string; givenName: string | null; familyName: string | null }[] })
      .users;
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

  it('describes itself, and every meta.location it gives answers: ServiceProviderConfig, ResourceTypes, Schemas', async () => {
    const config = (await scim('GET', '/ServiceProviderConfig')).body!;
    assert.equal(config.patch.supported, true);
    assert.equal(config.sort.supported, false);
    const types = (await scim('GET', '/ResourceTypes')).body!.Resources;
    assert.deepEqual(
      types.map((type: { id: string }) => type.id),
      ['User', 'Group'],
    );
    assert.deepEqual(types[0].schemaExtensions, [{ schema: enterpriseSchema, required: false }]);
    const schemas = (await scim('GET', '/Schemas')).body!.Resources;
    assert.deepEqual(
      schemas.map((schema: { id: string }) => schema.id),
      [userSchema, enterpriseSchema, groupSchema],
    );
    for (const { meta } of [...types, ...schemas]) {
      const linked = await scim('GET', new URL(meta.location).pathname.replace('/scim/v2', ''));
      assert.equal(linked.status, 200, meta.location);
      assert.equal(linked.body?.meta.location, meta.location);
    }
    const user = schemas[0].attributes.find((attribute: { name: string }) => attribute.name === 'name');
    assert.deepEqual(user.subAttributes.map((attribute: { name: string }) => attribute.name).slice(0, 3), [
      'formatted',
      'familyName',
      'givenName',
    ]);
    const missing = await scim('GET', '/Schemas/urn:example:nothing');
    assert.equal(missing.status, 404);
    assert.equal(typeof missing.body?.detail, 'string');
    assert.equal((await scim('GET', '/ResourceTypes/Printer')).status, 404);
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
      password: 'okta-synced-password-1',
      active: true,
    });
    assert.equal(created.status, 201);
    assert.equal(created.body?.userName, 'ana@example.com');
    assert.equal(created.body?.active, true);
    const id = created.body!.id as string;
    assert.equal((await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq "ANA@example.com"'))).body?.Resources[0].id, id);
    assert.equal((await scim('POST', '/Users', { schemas: [userSchema], userName: 'ana@example.com' })).body?.scimType, 'uniqueness');
    assert.deepEqual(created.body?.name, { givenName: 'Ana', familyName: 'Silva' });
    assert.equal(created.body?.locale, 'en-US');
    assert.equal(created.body?.password, undefined, 'a password is never returned');
    assert.ok(await signIn('ana@example.com', 'okta-synced-password-1'), 'the synced password signs in');

    const group = await scim('POST', '/Groups', { schemas: [groupSchema], displayName: 'rtl-team', members: [] });
    assert.equal(group.status, 201);
    const groupId = group.body!.id as string;
    const added = await scim('PATCH', `/Groups/${groupId}`, {
      schemas: [patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id, display: 'ana@example.com' }] }],
    });
    assert.deepEqual(members(added.body), [{ value: id, display: 'ana@example.com' }]);
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
    const user = await runtime.services.users.register(systemActor, {
      email: 'lena@example.com',
      role: 'member',
      password: 'lena password 12',
    });
    const key = 'tap_lena_0123456789abcdef0123456789';
    await runtime.services.users.addApiKey(systemActor, user.id, key, 'laptop');
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
  it("takes Okta's profile push (PUT of the whole user): what it sends is what GET returns", async () => {
    const { body: created } = await scim('POST', '/Users', {
      schemas: [userSchema],
      userName: 'ravi@example.com',
      name: { givenName: 'Ravi', familyName: 'Kumar' },
      emails: [{ primary: true, value: 'ravi@example.com', type: 'work' }],
      displayName: 'Ravi Kumar',
      externalId: '00uravi',
      active: true,
    });
    const replaced = await scim('PUT', `/Users/${created!.id}`, {
      schemas: [userSchema],
      id: created!.id,
      userName: 'ravi.kumar@example.com',
      name: { givenName: 'Ravi', familyName: 'Kumar-Rao' },
      emails: [{ primary: true, value: 'ravi.kumar@example.com', type: 'work' }],
      displayName: 'Ravi Kumar-Rao',
      title: 'Physical design lead',
      active: true,
      groups: [],
    });
    assert.equal(replaced.status, 200);
    const read = (await scim('GET', `/Users/${created!.id}`)).body!;
    assert.equal(read.userName, 'ravi.kumar@example.com');
    assert.deepEqual(read.name, { givenName: 'Ravi', familyName: 'Kumar-Rao' });
    assert.equal(read.title, 'Physical design lead');
    assert.equal(read.displayName, 'Ravi Kumar-Rao');
    assert.equal(read.externalId, undefined, 'PUT replaces the whole resource: no externalId sent, none kept');
  });

  it("takes Entra ID's documented user requests: create with a non-email userName, then PATCH emails, name, userName, active", async () => {
    // Microsoft's "Develop a SCIM endpoint" tutorial: Create User, Update User [Multi-valued properties],
    // Update User [Single-valued properties], Disable User.
    const created = await scim('POST', '/Users', {
      schemas: [userSchema, enterpriseSchema],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [{ primary: true, type: 'work', value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com' }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body!.id as string;
    const get = async () => (await scim('GET', `/Users/${id}`)).body!;
    assert.equal((await get()).userName, 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1');
    assert.deepEqual((await get()).name, { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' });

    const multiValued = await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: 'updatedEmail@microsoft.com' },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
      ],
    });
    assert.equal(multiValued.status, 200, JSON.stringify(multiValued.body));
    assert.deepEqual((await get()).emails, [{ primary: true, type: 'work', value: 'updatedEmail@microsoft.com' }]);
    assert.equal((await get()).name.familyName, 'updatedFamilyName');
    const listed = await adminUsers();
    const row = listed.find((user) => user.id === id)!;
    assert.equal(row.email, 'updatedEmail@microsoft.com', 'the work email is the address the user signs in with');
    assert.deepEqual([row.givenName, row.familyName], ['givenName', 'updatedFamilyName']);

    await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'Replace', path: 'userName', value: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' }],
    });
    assert.equal((await get()).userName, '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com');
    assert.equal(
      (await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq "5B50642D-79fc-4410-9e90-4c077cdd1a59@testuser.com"'))).body
        ?.totalResults,
      1,
    );
    await scim('PATCH', `/Users/${id}`, { schemas: [patchOp], Operations: [{ op: 'Replace', path: 'active', value: false }] });
    assert.equal((await get()).active, false);
  });

  it('removes externalId, displayName and name when told to, and GET shows them gone', async () => {
    const { body: created } = await scim('POST', '/Users', {
      schemas: [userSchema],
      userName: 'mei@example.com',
      externalId: 'entra-mei',
      displayName: '陈美',
      name: { givenName: '美', familyName: '陈', formatted: '陈美' },
    });
    const id = created!.id as string;
    for (const path of ['externalId', 'displayName', 'name']) {
      const removed = await scim('PATCH', `/Users/${id}`, { schemas: [patchOp], Operations: [{ op: 'remove', path }] });
      assert.equal(removed.status, 200, JSON.stringify(removed.body));
      assert.equal((await scim('GET', `/Users/${id}`)).body?.[path], undefined, path);
    }
    assert.equal((await scim('GET', '/Users?filter=' + encodeURIComponent('externalId eq "entra-mei"'))).body?.totalResults, 0);
  });

  it('applies every operation of a PATCH or none, and the error names the operation that failed', async () => {
    const { body: created } = await scim('POST', '/Users', { schemas: [userSchema], userName: 'omar@example.com', displayName: 'Omar' });
    const id = created!.id as string;
    const refused = async (operations: object[], scimType: string, detail: RegExp) => {
      const answer = await scim('PATCH', `/Users/${id}`, { schemas: [patchOp], Operations: operations });
      assert.equal(answer.status, 400, JSON.stringify(answer.body));
      assert.equal(answer.body?.scimType, scimType);
      assert.equal(typeof answer.body?.detail, 'string');
      assert.doesNotMatch(answer.body!.detail, /\[object Object\]/);
      assert.match(answer.body!.detail, detail);
    };
    await refused(
      [
        { op: 'replace', path: 'displayName', value: 'Omar Haddad' },
        { op: 'replace', path: 'favoriteColor', value: 'green' },
      ],
      'invalidPath',
      /^Operation 2 \(replace favoriteColor\): .*favoriteColor/,
    );
    await refused(
      [{ op: 'replace', value: { displayName: 'Omar Haddad', shoeSize: '44' } }],
      'invalidPath',
      /^Operation 1 \(replace\): A User has no attribute shoeSize/,
    );
    await refused([{ op: 'replace', path: 'userName', value: 'omar' }], 'invalidValue', /not an email address/);
    await refused(
      [{ op: 'replace', path: 'active', value: 'maybe' }],
      'invalidValue',
      /^Operation 1 \(replace active\): active must be true or false/,
    );
    await refused([{ op: 'replace', path: 'groups', value: [] }], 'mutability', /read-only/);
    await refused(
      [{ op: 'Frobnicate', path: 'displayName', value: 'x' }],
      'invalidSyntax',
      /^Operation 1: op must be add, remove or replace/,
    );
    await refused([{ op: 'remove' }], 'noTarget', /needs a path/);
    await refused([{ op: 'replace', path: 'emails[type eq "work"].value', value: { nested: true } }], 'invalidValue', /must be a string/);
    const after = (await scim('GET', `/Users/${id}`)).body!;
    assert.equal(after.displayName, 'Omar', 'no operation of a refused PATCH was applied');
    assert.equal(after.userName, 'omar@example.com');
    const unknownOnCreate = await scim('POST', '/Users', { schemas: [userSchema], userName: 'zed@example.com', favouriteEditor: 'vim' });
    assert.equal(unknownOnCreate.status, 400);
    assert.match(unknownOnCreate.body!.detail, /favouriteEditor/);
    assert.equal((await scim('GET', '/Users?filter=' + encodeURIComponent('userName eq "zed@example.com"'))).body?.totalResults, 0);
    const shortPassword = await scim('POST', '/Users', { schemas: [userSchema], userName: 'zed@example.com', password: '1mz050nq' });
    assert.equal(shortPassword.status, 400);
    assert.match(shortPassword.body!.detail, /at least 12 characters/);
  });

  it('keeps the enterprise extension, set whole or by its attribute paths', async () => {
    const { body: created } = await scim('POST', '/Users', {
      schemas: [userSchema, enterpriseSchema],
      userName: 'sofia@example.com',
      [enterpriseSchema]: { department: 'Verification', employeeNumber: '7731' },
    });
    const id = created!.id as string;
    assert.deepEqual(created?.schemas, [userSchema, enterpriseSchema]);
    await scim('PATCH', `/Users/${id}`, {
      schemas: [patchOp],
      Operations: [
        { op: 'replace', path: `${enterpriseSchema}:department`, value: 'Physical design' },
        { op: 'add', value: { [enterpriseSchema]: { costCenter: 'CC-42' }, 'name.givenName': 'Sofía' } },
      ],
    });
    const read = (await scim('GET', `/Users/${id}`)).body!;
    assert.deepEqual(read[enterpriseSchema], { department: 'Physical design', employeeNumber: '7731', costCenter: 'CC-42' });
    assert.equal(read.name.givenName, 'Sofía');
  });

  it("takes Entra ID's group requests: members Add and Remove with $ref null, Replace displayName; lastModified moves each time", async () => {
    const { body: user } = await scim('POST', '/Users', { schemas: [userSchema], userName: 'yuki@example.com' });
    const created = await scim('POST', '/Groups', {
      schemas: [groupSchema],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
      meta: { resourceType: 'Group' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const id = created.body!.id as string;
    let lastModified = created.body!.meta.lastModified as string;
    const changed = async (operations: object[]) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      const answer = await scim('PATCH', `/Groups/${id}`, { schemas: [patchOp], Operations: operations });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const read = (await scim('GET', `/Groups/${id}`)).body!;
      assert.ok(read.meta.lastModified > lastModified, `${read.meta.lastModified} after ${lastModified}`);
      lastModified = read.meta.lastModified;
      return read;
    };
    assert.deepEqual(members(await changed([{ op: 'Add', path: 'members', value: [{ $ref: null, value: user!.id }] }])), [
      { value: user!.id, display: 'yuki@example.com' },
    ]);
    assert.deepEqual(members(await changed([{ op: 'Remove', path: 'members', value: [{ $ref: null, value: user!.id }] }])), []);
    const renamed = await changed([
      { op: 'Replace', path: 'displayName', value: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' },
    ]);
    assert.equal(renamed.displayName, '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');
    const okta = await changed([{ op: 'replace', value: { id, displayName: 'Test SCIMv2' } }]);
    assert.equal(okta.displayName, 'Test SCIMv2', "Okta's rename (with the group's id in the value)");
    const nested = await scim('PATCH', `/Groups/${id}`, {
      schemas: [patchOp],
      Operations: [{ op: 'add', path: 'members', value: [{ value: id, type: 'Group' }] }],
    });
    assert.equal(nested.status, 400);
    assert.match(nested.body!.detail, /type must be User/);
  });

  it('answers with the attributes asked for, or without the excluded ones, on get, list and search', async () => {
    const { body: created } = await scim('POST', '/Users', {
      schemas: [userSchema],
      userName: 'lin@example.com',
      name: { givenName: 'Lin', familyName: 'Wei' },
      emails: [{ value: 'lin@example.com', type: 'work', primary: true }],
    });
    const id = created!.id as string;
    const only = (await scim('GET', `/Users/${id}?attributes=userName,name.givenName`)).body!;
    assert.deepEqual(only, { schemas: [userSchema], id, userName: 'lin@example.com', name: { givenName: 'Lin' } });
    const without = (await scim('GET', `/Users/${id}?excludedAttributes=emails,groups,meta`)).body!;
    assert.equal(without.userName, 'lin@example.com');
    assert.equal(without.id, id);
    for (const gone of ['emails', 'groups', 'meta']) assert.equal(without[gone], undefined, gone);
    assert.equal((await scim('GET', `/Users/${id}?attributes=userName&excludedAttributes=emails`)).status, 400);
    assert.equal((await scim('GET', `/Users/${id}?attributes=shoeSize`)).status, 400);
    const listed = (await scim('GET', '/Users?attributes=userName&filter=' + encodeURIComponent('userName eq "lin@example.com"'))).body!;
    assert.deepEqual(listed.Resources, [{ schemas: [userSchema], id, userName: 'lin@example.com' }]);

    const searched = await scim('POST', '/Users/.search', {
      schemas: [searchRequest],
      attributes: ['userName', 'name.familyName'],
      filter: 'name.familyName eq "Wei"',
      startIndex: 1,
      count: 10,
    });
    assert.equal(searched.status, 200, JSON.stringify(searched.body));
    assert.deepEqual(searched.body?.Resources, [{ schemas: [userSchema], id, userName: 'lin@example.com', name: { familyName: 'Wei' } }]);
    const everywhere = await scim('POST', '/.search', {
      schemas: [searchRequest],
      filter: 'userName eq "lin@example.com"',
      attributes: ['userName'],
    });
    assert.deepEqual(
      everywhere.body?.Resources.map((resource: { id: string }) => resource.id),
      [id],
    );
    const groups = await scim('POST', '/Groups/.search', { schemas: [searchRequest], excludedAttributes: ['members'], count: 1 });
    assert.equal(groups.status, 200);
    assert.equal(groups.body?.Resources[0]?.members, undefined);
    const sorted = await scim('GET', '/Users?sortBy=userName');
    assert.equal(sorted.status, 400);
    assert.match(sorted.body!.detail, /Sorting is not supported/);
  });
});
