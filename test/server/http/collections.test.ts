import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { renderDocx } from '../../../server/seed/sampleCorpus/render/docx.ts';
import { renderPdf } from '../../../server/seed/sampleCorpus/render/pdf.ts';
import { chipDesign } from '../../../server/seed/sampleCorpus/chipDesign.ts';
import { timingReviewDeck, zipBombDocx } from '../../support/officeFixtures.ts';
import { startTestRuntime, waitFor, type TestRuntime } from '../../support/testRuntime.ts';
import { buildUser } from '../../support/factories.ts';

describe('collections and documents API', () => {
  let runtime: TestRuntime;
  let memberKey: string;
  let memberId: string;
  const admin = () => ({ authorization: `Bearer ${runtime.apiKey}` });
  const json = (body: unknown) => ({
    method: 'POST',
    headers: { ...admin(), 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const upload = (files: [string, Uint8Array | string][], headers = admin()) => {
    const form = new FormData();
    for (const [name, content] of files)
      form.append('files', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), name);
    return fetch(`${runtime.url}/api/collections/timing/documents`, { method: 'POST', headers, body: form });
  };
  const finished = (jobId: string) =>
    waitFor(async () => {
      const job = await (await fetch(`${runtime.url}/api/jobs/${jobId}`, { headers: admin() })).json();
      return job.state === 'completed' || job.state === 'failed' ? job : undefined;
    }, `job ${jobId}`);
  const documents = async () =>
    (await (await fetch(`${runtime.url}/api/collections/timing/documents`, { headers: admin() })).json()).documents;

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false', UPLOAD_MAX_BYTES: '200000' });
    const member = await buildUser(runtime.services, { email: 'member@example.com' });
    memberKey = member.apiKey;
    memberId = member.id;
  });
  after(() => runtime?.dispose());

  it('creates a collection, refusing a duplicate slug and a bad one', async () => {
    const created = await fetch(`${runtime.url}/api/collections`, json({ slug: 'timing', name: 'Timing notes' }));
    assert.equal(created.status, 201);
    assert.equal((await created.json()).collection.slug, 'timing');
    const duplicate = await fetch(`${runtime.url}/api/collections`, json({ slug: 'timing', name: 'Again' }));
    assert.deepEqual([duplicate.status, (await duplicate.json()).error.code], [409, 'conflict']);
    const bad = await fetch(`${runtime.url}/api/collections`, json({ slug: '../Timing', name: 'x' }));
    assert.deepEqual([bad.status, (await bad.json()).error.code], [400, 'invalid_request']);
    const german = (
      await (await fetch(`${runtime.url}/api/collections`, json({ slug: 'handbuch', name: 'Handbuch', language: 'de' }))).json()
    ).collection;
    assert.deepEqual([german.language, german.textSearchConfig], ['de', 'german']);
    const automatic = (await (await fetch(`${runtime.url}/api/collections`, json({ slug: 'notes', name: 'Notes' }))).json()).collection;
    assert.deepEqual([automatic.language, automatic.detectedLanguage, automatic.textSearchConfig], [null, null, 'simple']);
    const klingon = await fetch(`${runtime.url}/api/collections`, json({ slug: 'tlh', name: 'x', language: 'tlh' }));
    assert.equal(klingon.status, 400);
    assert.match((await klingon.json()).error.message, /language: use "auto" or one of en, zh, ja, ko, ar, he, de/);
  });

  it('takes a Markdown, a PDF, a DOCX and a PPTX to ready, with chunks', async () => {
    const response = await upload([
      ['cdc.md', '# CDC\n\n## Pulses\n\nConvert a pulse to a toggle before synchronizing it with pulse_sync.\n'],
      ['upf.pdf', await renderPdf(chipDesign.documents.find((d) => d.format === 'pdf')!)],
      ['eco.docx', await renderDocx(chipDesign.documents.find((d) => d.file === 'eco-process.docx')!)],
      ['timing-review.pptx', await timingReviewDeck()],
    ]);
    assert.equal(response.status, 202);
    const body = await response.json();
    assert.equal(body.jobs.length, 4);
    for (const job of body.jobs) {
      const final = await finished(job.id);
      assert.deepEqual([final.state, final.progress, final.etaSeconds, final.error], ['completed', 100, null, null]);
    }
    const list = await documents();
    assert.deepEqual(
      list.map((d: { status: string }) => d.status),
      ['ready', 'ready', 'ready', 'ready'],
    );
    assert.ok(list.every((d: { chunks: number; version: number }) => d.chunks > 0 && d.version === 1));
  });

  it('keeps version 1 for an unchanged re-upload, and makes version 2 of a changed one, dropping version 1 and its file', async () => {
    const storedFiles = async () =>
      (await readdir(path.join(runtime.dataDir, 'files'), { recursive: true })).filter((f) => f.endsWith('cdc.md'));
    const same = await (
      await upload([['cdc.md', '# CDC\n\n## Pulses\n\nConvert a pulse to a toggle before synchronizing it with pulse_sync.\n']])
    ).json();
    assert.equal(same.unchanged.length, 1);
    const changed = await (await upload([['cdc.md', '# CDC\n\n## Pulses\n\nPulses cross through pulse_sync cells only.\n']])).json();
    await finished(changed.jobs[0].id);
    const cdc = (await documents()).find((d: { filename: string }) => d.filename === 'cdc.md');
    assert.equal(cdc.version, 2);
    const { rows } = await runtime.services.db.query('SELECT DISTINCT document_version AS v FROM chunks WHERE document_id = $1', [cdc.id]);
    assert.deepEqual(rows, [{ v: 2 }]);
    assert.equal((await storedFiles()).length, 1, 'only the served version is kept on disk');
  });

  it('fails a zip-bomb DOCX at once with zip_bomb, leaving no chunks and no file', async () => {
    const body = await (await upload([['handbook.docx', await zipBombDocx()]])).json();
    const final = await finished(body.jobs[0].id);
    assert.deepEqual([final.state, final.error.code, final.attempts], ['failed', 'zip_bomb', 1]);
    const doc = (await documents()).find((d: { filename: string }) => d.filename === 'handbook.docx');
    assert.deepEqual([doc.status, doc.chunks, doc.error.code], ['failed', 0, 'zip_bomb']);
    const files = await readdir(path.join(runtime.dataDir, 'files'), { recursive: true });
    assert.ok(!files.some((f) => f.endsWith('handbook.docx')));
    assert.equal((await fetch(`${runtime.url}/healthz`)).status, 200);
  });

  it('refuses hostile files with a code each, leaving nothing behind', async () => {
    const before = (await documents()).length;
    const response = await upload([
      ['random.pdf', randomBytes(4096)],
      ['empty.txt', ''],
      ['binary.md', Buffer.concat([Buffer.from('# x\n'), randomBytes(1024), Buffer.alloc(8)])],
      ['huge.txt', 'x'.repeat(300_000)],
    ]);
    assert.equal(response.status, 400);
    const body = await response.json();
    const codes = Object.fromEntries(
      body.error.details.rejected.map((r: { filename: string; error: { code: string } }) => [r.filename, r.error.code]),
    );
    assert.deepEqual(codes, {
      'random.pdf': 'corrupt_file',
      'empty.txt': 'empty_document',
      'binary.md': 'binary_as_text',
      'huge.txt': 'file_too_large',
    });
    assert.equal((await documents()).length, before);
    assert.deepEqual(await readdir(path.join(runtime.dataDir, 'files', 'incoming')), []);
    assert.equal((await fetch(`${runtime.url}/healthz`)).status, 200);
  });

  it('neutralises path traversal in file names', async () => {
    const body = await (await upload([['../../etc/passwd.md', '# Notes\n\nHarmless text about scan chains.\n']])).json();
    assert.equal(body.jobs[0].filename, 'passwd.md');
    await finished(body.jobs[0].id);
  });

  it('lets members change only collections their groups may edit', async () => {
    const asMember = { authorization: `Bearer ${memberKey}` };
    const hidden = await upload([['x.md', '# x\n\ntext here.']], asMember);
    assert.deepEqual(
      [hidden.status, (await hidden.json()).error.code],
      [404, 'not_found'],
      'a collection the member cannot read does not exist for them',
    );
    await fetch(`${runtime.url}/api/collections/timing/grants`, json({ group: 'everyone', permission: 'read' }));
    const readOnly = await upload([['x.md', '# x\n\ntext here.']], asMember);
    assert.deepEqual([readOnly.status, (await readOnly.json()).error.code], [403, 'forbidden']);
    await runtime.services.db.query(`INSERT INTO groups (name) VALUES ('timing-editors')`);
    await runtime.services.db.query(`INSERT INTO memberships (group_id, user_id) SELECT id, $1 FROM groups WHERE name = 'timing-editors'`, [
      memberId,
    ]);
    const granted = await fetch(`${runtime.url}/api/collections/timing/grants`, json({ group: 'timing-editors', permission: 'edit' }));
    assert.equal(granted.status, 201);
    const accepted = await upload([['editor-notes.md', '# Editor notes\n\nWritten by an editor.']], asMember);
    assert.equal(accepted.status, 202);
    const job = await (await fetch(`${runtime.url}/api/jobs/${(await accepted.json()).jobs[0].id}`, { headers: asMember })).json();
    assert.equal(job.filename, 'editor-notes.md');
    const noSuchGroup = await fetch(`${runtime.url}/api/collections/timing/grants`, json({ group: 'nobody', permission: 'edit' }));
    assert.equal(noSuchGroup.status, 404);
  });

  it('deletes a document with its chunks', async () => {
    const target = (await documents()).find((d: { filename: string }) => d.filename === 'passwd.md');
    const deleted = await fetch(`${runtime.url}/api/documents/${target.id}`, { method: 'DELETE', headers: admin() });
    assert.equal(deleted.status, 204);
    const { rows } = await runtime.services.db.query('SELECT count(*)::int AS n FROM chunks WHERE document_id = $1', [target.id]);
    assert.equal(rows[0]!.n, 0);
    assert.equal((await fetch(`${runtime.url}/api/documents/${target.id}`, { method: 'DELETE', headers: admin() })).status, 404);
  });
});
