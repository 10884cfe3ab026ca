import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { systemActor } from '../../server/access/systemActor.ts';
import { runTapeout } from '../support/tapeoutProcess.ts';
import { createOpenCollection, startTestRuntime, type TestRuntime } from '../support/testRuntime.ts';
import { TestWebSite } from '../support/testWebSite.ts';

const article = (title: string, text: string, links = '') =>
  `<!doctype html><html><head><title>${title}</title></head><body><div class="content"><h1>${title}</h1><p>${text}</p>${links}</div></body></html>`;

describe('tapeout source (the CLI, against a running server)', () => {
  let runtime: TestRuntime;
  let site: TestWebSite;
  const cli = (...args: string[]) => runTapeout(['source', '--server', runtime.url, '--api-key', runtime.apiKey, ...args], {});

  before(async () => {
    site = await TestWebSite.start();
    site.pages.set('/handbook/', {
      body: article('Handbook', 'The handbook of the lab: how to book the probe station.', '<a href="probe.html">Probe station</a>'),
    });
    site.pages.set('/handbook/probe.html', {
      body: article('Probe station', 'Book the probe station in the lab calendar two days ahead.'),
    });
    runtime = await startTestRuntime({ SEED_DEMO: 'false', CONNECTOR_ALLOWED_HOSTS: '127.0.0.1' });
    await createOpenCollection(runtime, 'lab');
  });
  after(async () => {
    await runtime?.dispose();
    await site?.close();
  });

  it('adds a web site with its crawl settings, syncs it and waits for the counts, and lists it', async () => {
    const added = await cli(
      'add',
      '-c',
      'lab',
      '--name',
      'lab-wiki',
      '--kind',
      'web',
      '--url',
      `${site.url}/handbook/`,
      '--max-depth',
      '1',
      '--max-pages',
      '50',
      '--schedule',
      'manual',
    );
    assert.equal(added.code, 0, added.output);
    assert.match(added.output, /Added source \S+ \(lab\/lab-wiki\)/);
    const [source] = await runtime.services.syncedSources.list(systemActor);
    assert.deepEqual(
      { maxDepth: source!.settings.maxDepth, maxPages: source!.settings.maxPages, schedule: source!.schedule },
      { maxDepth: 1, maxPages: 50, schedule: null },
    );
    const synced = await cli('sync', 'lab/lab-wiki', '--wait');
    assert.equal(synced.code, 0, synced.output);
    assert.match(synced.output, /succeeded: added \d, changed 0, deleted 0, skipped 0, failed 0, readers changed 0\./);
    assert.equal(site.requestsOf('/handbook/probe.html').length > 0, true);
    const listed = await cli('list');
    assert.match(listed.output, /lab\/lab-wiki {2}web http:\/\/127\.0\.0\.1:\d+\/handbook\/ {2}2 items {2}manual/);
  });

  it('refuses a setting of the other kind, and a depth that is not a number, with the reason and a non-zero exit', async () => {
    const branch = await cli('add', '-c', 'lab', '--name', 'x', '--kind', 'web', '--url', `${site.url}/handbook/`, '--branch', 'main');
    assert.equal(branch.code, 2);
    assert.match(branch.output, /Web settings: .*branch/);
    const depth = await cli('add', '-c', 'lab', '--name', 'y', '--kind', 'web', '--url', `${site.url}/handbook/`, '--max-depth', 'deep');
    assert.equal(depth.code, 2);
    assert.match(depth.output, /--max-depth takes a whole number, not deep/);
  });
});
