import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, rename, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Principal } from '../../../server/auth/Principal.ts';
import { systemActor } from '../../../server/access/systemActor.ts';
import { syncSourceTask } from '../../../server/sources/SyncSourceTask.ts';
import { findRun, updateSource } from '../../../server/sources/sourceRepository.ts';
import { CredentialCipher } from '../../../server/sources/credentialCipher.ts';
import { citationsFor, syncAndIngest } from '../../support/sourceSync.ts';
import { buildAssistant, buildCollection } from '../../support/factories.ts';
import { startTaskHarness, type TaskHarness } from '../../support/taskHarness.ts';
import { TestGitRepository } from '../../support/testGitRepository.ts';

const everyone: Principal = { userId: null, email: null, role: 'member' };

const pllV1 = `// Clock generation for the SoC
module pll_ctrl (
  input  logic clk_ref,
  output logic pll_lock_err
);
  // pll_lock_err rises when the loop loses lock for 64 reference cycles.
  assign pll_lock_err = 1'b0;
endmodule
`;

describe('a Git source', () => {
  let harness: TaskHarness;
  let root: string;
  let repo: TestGitRepository;
  let sourceId: string;

  before(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'tapeout-git-'));
    repo = await TestGitRepository.init(path.join(root, 'soc'));
    await repo.write('README.md', '# SoC\n\n## Bring-up\n\nThe bring-up board needs the 25 MHz reference crystal fitted.\n');
    await repo.write('rtl/pll_ctrl.sv', pllV1);
    await repo.write('flow/sta.tcl', 'proc run_sta {corner} {\n  report_timing -corner $corner -max_paths 50\n}\n');
    await repo.write('notes/old-flow.md', '# Old flow\n\nThe legacy flow ran synthesis with the yosys_abc9 script.\n');
    await repo.write('assets/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    await symlink('/etc/passwd', path.join(repo.dir, 'passwd-link'));
    repo.commit('first');
    harness = await startTaskHarness({ CONNECTOR_LOCAL_ROOTS: root });
    await buildCollection(harness.services, { slug: 'soc', grants: { everyone: 'read' } });
    await buildAssistant(harness.services, { slug: 'soc-helper', collections: ['soc'] });
  });
  after(async () => {
    await harness?.dispose();
    await rm(root, { recursive: true, force: true });
  });

  const documentPaths = async () =>
    (
      await harness.services.db.query<{ filename: string }>(`SELECT filename FROM documents WHERE source = 'source' ORDER BY filename`)
    ).rows.map((row) => row.filename);

  it('takes in the files of its branch, and leaves out symlinks and binary blobs with the reason', async () => {
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'git',
      collection: 'soc',
      name: 'soc-repo',
      url: `file://${repo.dir}`,
      settings: { branch: 'main', linkTemplate: 'https://git.example.com/soc/blob/{commit}/{path}#L{startLine}-L{endLine}' },
    });
    sourceId = source.id;
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    assert.deepEqual({ added: done.added, changed: done.changed, deleted: done.deleted }, { added: 4, changed: 0, deleted: 0 });
    assert.deepEqual(done.errors.map((e) => [e.item, e.code]).sort(), [
      ['assets/logo.png', 'binary_as_text'],
      ['passwd-link', 'symlink'],
    ]);
    assert.deepEqual(await documentPaths(), ['README.md', 'flow/sta.tcl', 'notes/old-flow.md', 'rtl/pll_ctrl.sv']);
  });

  it('answers with a citation naming the path, the line range, the commit and a link to those lines', async () => {
    const commit = repo.git('rev-parse', 'HEAD').trim();
    const citations = await citationsFor(harness, 'soc-helper', 'When does pll_lock_err rise?');
    const cited = citations.find((c) => c.origin?.path === 'rtl/pll_ctrl.sv');
    assert.ok(cited, JSON.stringify(citations.map((c) => c.filename)));
    assert.deepEqual(cited.headingPath, ['rtl/pll_ctrl.sv', 'module pll_ctrl']);
    // The module spans lines 2-8; the file's comment on line 1 is a neighbouring passage, merged into the same citation when both are found.
    const { start, end } = cited.lines!;
    assert.ok(start === 1 || start === 2, `starts at ${start}`);
    assert.equal(end, 8);
    assert.equal(cited.origin!.commit, commit);
    assert.equal(cited.origin!.source, 'soc-repo');
    assert.equal(cited.origin!.link, `https://git.example.com/soc/blob/${commit}/rtl/pll_ctrl.sv#L${start}-L8`);
  });

  it('syncs only what the next commit changed: a change, an addition, a rename and a deletion', async () => {
    await repo.write('rtl/pll_ctrl.sv', pllV1.replace('64 reference cycles', '128 reference cycles'));
    await repo.write('rtl/alu.sv', 'module alu (input logic [7:0] a, b, output logic [7:0] y);\n  assign y = a + b;\nendmodule\n');
    await rename(path.join(repo.dir, 'flow/sta.tcl'), path.join(repo.dir, 'flow/timing.tcl'));
    await rm(path.join(repo.dir, 'notes/old-flow.md'));
    repo.commit('second');
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.equal(done.status, 'succeeded', JSON.stringify(done.error));
    // README.md is unchanged and not read again; the rename is the old path gone and the new one added.
    assert.deepEqual({ added: done.added, changed: done.changed, deleted: done.deleted }, { added: 2, changed: 1, deleted: 2 });
    assert.deepEqual(await documentPaths(), ['README.md', 'flow/timing.tcl', 'rtl/alu.sv', 'rtl/pll_ctrl.sv']);
    const cited = (await citationsFor(harness, 'soc-helper', 'How many reference cycles before pll_lock_err rises?')).find(
      (c) => c.origin?.path === 'rtl/pll_ctrl.sv',
    );
    assert.match(cited!.snippet, /128 reference cycles/);
    assert.doesNotMatch(cited!.snippet, /64 reference cycles/);
    const legacy = await harness.services.retriever.retrieve(everyone, 'yosys_abc9', {
      collectionIds: [(await harness.services.collections.findEditable(systemActor, 'soc')).id],
    });
    assert.equal(legacy.filter((p) => p.text.includes('yosys_abc9')).length, 0, 'the deleted file is no longer found');
  });

  it('a sync with nothing new changes nothing', async () => {
    const { run } = await harness.services.syncedSources.requestSync(systemActor, sourceId);
    const done = await syncAndIngest(harness, run.id);
    assert.deepEqual({ added: done.added, changed: done.changed, deleted: done.deleted }, { added: 0, changed: 0, deleted: 0 });
  });

  it('refuses a file:// repository outside CONNECTOR_LOCAL_ROOTS, and a private address not allowed', async () => {
    await assert.rejects(
      harness.services.syncedSources.create(systemActor, { kind: 'git', collection: 'soc', name: 'etc', url: 'file:///etc', settings: {} }),
      /not under a directory listed in CONNECTOR_LOCAL_ROOTS/,
    );
    await assert.rejects(
      harness.services.syncedSources.create(systemActor, {
        kind: 'git',
        collection: 'soc',
        name: 'lo',
        url: 'https://127.0.0.1/x.git',
        settings: {},
      }),
      /private or loopback address/,
    );
    await assert.rejects(
      harness.services.syncedSources.create(systemActor, {
        kind: 'git',
        collection: 'soc',
        name: 'meta',
        url: 'https://169.254.169.254/x.git',
        settings: {},
      }),
      /private or loopback address/,
    );
  });

  it('fails a run at once, naming why, when its stored credentials cannot be opened (SOURCE_CREDENTIALS_KEY changed)', async () => {
    const { source, run } = await harness.services.syncedSources.create(systemActor, {
      kind: 'git',
      collection: 'soc',
      name: 'sealed-elsewhere',
      url: `file://${repo.dir}`,
      settings: {},
    });
    await updateSource(harness.services.db, source.id, { credentials: new CredentialCipher(randomBytes(32)).seal({ token: 't' }) });
    await assert.rejects(syncSourceTask(harness.services).handle({ runId: run.id }, harness.context()), /credentials_unavailable/);
    const failed = (await findRun(harness.services.db, run.id))!;
    assert.equal(failed.status, 'failed');
    assert.equal(failed.error?.code, 'credentials_unavailable');
    await harness.services.syncedSources.delete(systemActor, source.id);
  });

  it('deleting the source deletes its documents', async () => {
    await harness.services.syncedSources.delete(systemActor, sourceId);
    assert.deepEqual(await documentPaths(), []);
  });
});
