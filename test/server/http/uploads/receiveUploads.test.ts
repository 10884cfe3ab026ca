import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createOpenCollection, startTestRuntime, waitFor, type TestRuntime } from '../../../support/testRuntime.ts';

const boundary = 'tapeout-test-boundary';
const part = (filename: string) =>
  `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: text/plain\r\n\r\n`;

describe('uploads that stop half-way or carry too much', () => {
  let runtime: TestRuntime;
  let incoming: string;
  const leftInIncoming = async () => (await readdir(incoming).catch(() => [])).length;
  const jobs = async () => (await runtime.services.db.query('SELECT 1 FROM ingestion_jobs')).rowCount;
  /** A raw multipart request, written by hand so the test decides when (and whether) it ends. */
  const rawUpload = (headers: Record<string, string | number> = {}) =>
    http.request(`${runtime.url}/api/collections/notes/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}`, 'content-type': `multipart/form-data; boundary=${boundary}`, ...headers },
    });

  before(async () => {
    runtime = await startTestRuntime({
      SEED_DEMO: 'false',
      UPLOAD_MAX_BYTES: String(1024 * 1024),
      UPLOAD_MAX_REQUEST_BYTES: String(2 * 1024 * 1024),
    });
    incoming = path.join(runtime.dataDir, 'files', 'incoming');
    await createOpenCollection(runtime, 'notes');
  });
  after(() => runtime?.dispose());

  it('cleans up at once when the client goes away in the middle of a file, and keeps serving', async () => {
    const request = rawUpload({ 'transfer-encoding': 'chunked' });
    request.on('error', () => undefined);
    request.write(part('half.txt'));
    request.write('x'.repeat(256 * 1024));
    await waitFor(async () => ((await leftInIncoming()) > 0 ? true : undefined), 'the temporary file');
    request.destroy();
    await waitFor(async () => ((await leftInIncoming()) === 0 ? true : undefined), 'the temporary file to go', 5000);
    assert.equal(await jobs(), 0);
    assert.equal((await fetch(`${runtime.url}/healthz`)).status, 200);
  });

  it('refuses a request over UPLOAD_MAX_REQUEST_BYTES before reading it, when it says its length', async () => {
    const form = new FormData();
    for (const name of ['a.txt', 'b.txt', 'c.txt']) form.append('files', new Blob(['y'.repeat(900 * 1024)]), name);
    const response = await fetch(`${runtime.url}/api/collections/notes/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}` },
      body: form,
    });
    assert.equal(response.status, 413);
    const { error } = await response.json();
    assert.equal(error.code, 'request_too_large');
    assert.match(error.message, /at most 2 MB/);
    assert.equal(await jobs(), 0);
    assert.equal(await leftInIncoming(), 0);
  });

  it('stops a chunked request when what arrived passes the limit, keeping none of its files', async () => {
    const request = rawUpload({ 'transfer-encoding': 'chunked' });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      request.on('response', (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body }));
      });
      request.on('error', reject);
    });
    for (const name of ['a.txt', 'b.txt', 'c.txt']) {
      request.write(part(name));
      request.write('z'.repeat(900 * 1024));
      request.write('\r\n');
    }
    request.end(`--${boundary}--\r\n`);
    const { status, body } = await answered;
    assert.equal(status, 413);
    assert.match(JSON.parse(body).error.message, /larger than the 2 MB a request may carry/);
    await waitFor(async () => ((await leftInIncoming()) === 0 ? true : undefined), 'the temporary files to go', 5000);
    assert.equal(await jobs(), 0);
  });

  it('still takes files within both limits', async () => {
    const form = new FormData();
    form.append('files', new Blob(['# Notes\n\nThe bring-up board needs the 12 V supply first.\n']), 'notes.md');
    const response = await fetch(`${runtime.url}/api/collections/notes/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.apiKey}` },
      body: form,
    });
    assert.equal(response.status, 202);
  });
});
