/**
 * Source sync benchmark (`npm run bench:sources`): the chip-design demo's own Git repository
 * (orion-rtl, written as a first start writes it), a generated one of 2,000 files (SystemVerilog
 * modules, Tcl flow scripts, Python utilities and Markdown notes) and a generated wiki of 301
 * pages on loopback, each synced into its own collection of a `tapeout start` process (embedded
 * mode, CPU embedder, sentence encoder off); then the large repository again after a commit that
 * changes 20 files, and the wiki again unchanged (conditional requests). Writes the time of each
 * sync (listing and storing), the time until every document is ready, chunks per second and the
 * peak RSS of the processes to bench/results/sources.json.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startTapeoutProcess } from '../test/support/tapeoutProcess.ts';
import { TestGitRepository } from '../test/support/testGitRepository.ts';
import { TestWebSite } from '../test/support/testWebSite.ts';
import { orionRtl } from '../server/seed/sampleRepository/orionRtl.ts';
import { writeSampleRepository } from '../server/seed/sampleRepository/writeSampleRepository.ts';
import { PeakRssMonitor } from './ingest/peakRss.ts';

const root = path.resolve(import.meta.dirname, '..');
const adminKey = 'tap_bench_sources_0123456789abcdef';

function module(i: number): string {
  const ports = Array.from({ length: 8 }, (_, p) => `  input  logic [31:0] in_${p}_${i},`).join('\n');
  const logic = Array.from(
    { length: 24 },
    (_, l) => `  assign stage_${l}_${i} = in_${l % 8}_${i} ^ {24'd0, 8'd${l}}; // stage ${l} of block ${i}`,
  ).join('\n');
  return `// Block ${i}: datapath slice ${i} of the vector unit\nmodule vu_slice_${i} (\n  input  logic clk,\n${ports}\n  output logic vu_err_${i}\n);\n${logic}\n  assign vu_err_${i} = 1'b0;\nendmodule\n`;
}
const tcl = (i: number) =>
  `# Flow step ${i}\nproc step_${i} {corner} {\n  set_operating_conditions $corner\n  report_timing -max_paths ${i + 10} -nworst 2\n  report_power -hierarchy\n}\n\nproc check_${i} {} {\n  if {[sizeof_collection [get_cells -hier *_${i}]] == 0} {\n    error "block ${i} missing"\n  }\n}\n`;
const python = (i: number) =>
  `"""Utility ${i} for the regression dashboard."""\n\n\ndef parse_log_${i}(path):\n    with open(path) as log:\n        return [line for line in log if "ERROR" in line]\n\n\nclass Summary${i}:\n    def __init__(self, rows):\n        self.rows = rows\n\n    def failures(self):\n        return [row for row in self.rows if row.failed]\n`;
const note = (i: number) =>
  `# Design note ${i}\n\n## Context\n\nBlock ${i} closes timing at the ss_0p72v_125c corner with ${i % 40} ps of slack.\n\n## Decision\n\nThe block_${i} retiming is done by hand because the tool moves the scan chain.\n`;

/** A generated internal wiki: every page linked from the index and listed in the sitemap, each with a menu around its article. */
async function wikiSite(pages: number): Promise<TestWebSite> {
  const site = await TestWebSite.start();
  const menu = '<div class="sidebar"><a href="/wiki/">Home</a> <a href="/wiki/search">Search</a> <a href="/wiki/help">Help</a></div>';
  const links = Array.from({ length: pages }, (_, i) => `<li><a href="page-${i}.html">Design note ${i}</a></li>`).join('');
  site.pages.set('/wiki/', {
    body: `<!doctype html><html><head><title>Wiki</title></head><body>${menu}<div class="content"><h1>Design notes</h1><ul>${links}</ul></div></body></html>`,
  });
  const urls: string[] = [];
  for (let i = 0; i < pages; i++) {
    const body = note(i)
      .replace(/^# (.*)$/m, '<h1>$1</h1>')
      .replace(/^## (.*)$/gm, '<h2>$1</h2>')
      .replace(/^([^<\n].+)$/gm, '<p>$1</p>');
    site.pages.set(`/wiki/page-${i}.html`, {
      body: `<!doctype html><html><head><title>Design note ${i}</title></head><body>${menu}<div class="content">${body}</div><div class="footer">Internal wiki</div></body></html>`,
    });
    urls.push(`<url><loc>${site.url}/wiki/page-${i}.html</loc></url>`);
  }
  site.pages.set('/sitemap.xml', {
    type: 'application/xml',
    body: `<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${urls.join('')}</urlset>`,
  });
  return site;
}

async function largeRepository(dir: string): Promise<TestGitRepository> {
  const repo = await TestGitRepository.init(dir);
  for (let i = 0; i < 500; i++) {
    await repo.write(`rtl/slice_${i}.sv`, module(i));
    await repo.write(`flow/step_${i}.tcl`, tcl(i));
    await repo.write(`tools/util_${i}.py`, python(i));
    await repo.write(`docs/note_${i}.md`, note(i));
  }
  repo.commit('large');
  return repo;
}

async function main() {
  const work = await mkdtemp(path.join(os.tmpdir(), 'tapeout-bench-sources-'));
  const repos = path.join(work, 'repos');
  const demoDir = await writeSampleRepository(orionRtl, repos, process.env.PATH ?? '/usr/bin:/bin');
  const large = await largeRepository(path.join(repos, 'large'));
  const wikiPages = 300;
  const wiki = await wikiSite(wikiPages);
  const server = await startTapeoutProcess({
    DATA_DIR: path.join(work, 'data'),
    ADMIN_API_KEY: adminKey,
    SEED_DEMO: 'false',
    SENTENCE_ENCODER: 'off',
    CONNECTOR_LOCAL_ROOTS: repos,
    CONNECTOR_ALLOWED_HOSTS: '127.0.0.1',
  });
  const monitor = new PeakRssMonitor(() => ({ server: server.child.pid }));
  const call = async (method: string, route: string, body?: unknown) =>
    (
      await fetch(`${server.url}/api${route}`, {
        method,
        headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      })
    ).json();
  const until = async <T>(probe: () => Promise<T | undefined>): Promise<T> => {
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  type Listed = { status: string; chunks: number; version: number };
  const measure = async (collection: string, start: () => Promise<string>, settled: (documents: Listed[]) => boolean) => {
    const began = Date.now();
    const sourceId = await start();
    const run = await until(async () => {
      const { lastRun } = await call('GET', `/sources/${sourceId}`);
      return lastRun.status === 'succeeded' || lastRun.status === 'failed' ? lastRun : undefined;
    });
    const synced = Date.now();
    const documents = await until(async () => {
      const { documents } = (await call('GET', `/collections/${collection}/documents`)) as { documents: Listed[] };
      return settled(documents) ? documents : undefined;
    });
    const ready = Date.now();
    const chunks = documents.reduce((sum, d) => sum + d.chunks, 0);
    return {
      sourceId,
      status: run.status,
      counts: run.counts,
      syncSeconds: (synced - began) / 1000,
      untilReadySeconds: (ready - began) / 1000,
      documents: documents.length,
      chunks,
      chunksPerSecond: Math.round(chunks / ((ready - began) / 1000)),
    };
  };
  try {
    for (const slug of ['demo', 'large', 'wiki']) await call('POST', '/collections', { slug, name: slug });
    const add =
      (collection: string, url: string, kind = 'git') =>
      async () =>
        (await call('POST', '/sources', { kind, collection, name: collection, url, schedule: null })).source.id as string;
    const allReady = (expected: number) => (documents: Listed[]) =>
      documents.length >= expected && documents.every((d) => d.status === 'ready' || d.status === 'failed');
    const demoFiles = Object.keys(orionRtl.files).length;
    const demoRun = await measure('demo', add('demo', `file://${demoDir}`), allReady(demoFiles));
    const largeRun = await measure('large', add('large', `file://${large.dir}`), allReady(2000));
    for (let i = 0; i < 20; i++) await large.write(`docs/note_${i}.md`, `${note(i)}\n## Update\n\nRevised after the ECO of week ${i}.\n`);
    large.commit('twenty notes revised');
    const {
      chunks: _chunks,
      chunksPerSecond: _rate,
      ...resync
    } = await measure(
      'large',
      async () => (await call('POST', `/sources/${largeRun.sourceId}/sync`)).run.sourceId as string,
      (documents) => documents.filter((d) => d.version === 2 && d.status === 'ready').length >= 20,
    );
    const siteRun = await measure('wiki', add('wiki', `${wiki.url}/wiki/`, 'web'), allReady(wikiPages + 1));
    const requestsBefore = wiki.requests.length;
    const {
      chunks: _c,
      chunksPerSecond: _r,
      ...recrawl
    } = await measure(
      'wiki',
      async () => (await call('POST', `/sources/${siteRun.sourceId}/sync`)).run.sourceId as string,
      () => true,
    );
    const notModified = wiki.requests.slice(requestsBefore).filter((r) => r.status === 304).length;
    await monitor.sample();
    const report = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
      mode: 'embedded (PGlite in its own process, in-process queue, CPU hashing embedder, SENTENCE_ENCODER=off)',
      demoRepository: demoRun,
      generatedRepository: largeRun,
      resyncAfterTwentyChangedFiles: resync,
      generatedWikiSite: { pages: wikiPages + 1, ...siteRun },
      recrawlUnchanged: { ...recrawl, answeredNotModified: notModified },
      peakRssMb: byProcess(monitor.stop()),
    };
    await writeFile(path.join(root, 'bench/results/sources.json'), `${JSON.stringify(report, null, 2)}\n`);
    console.log(JSON.stringify(report, null, 2));
  } finally {
    await server.stop();
    await rm(work, { recursive: true, force: true });
    await wiki.close();
  }
}

/** The server, its database process, and the largest of the short-lived git processes it ran. */
function byProcess(peaks: Record<string, number>): Record<string, number> {
  const kept: Record<string, number> = {};
  for (const [name, mb] of Object.entries(peaks)) {
    if (/: child \d+$/.test(name)) kept['git (largest)'] = Math.max(kept['git (largest)'] ?? 0, mb);
    else kept[name] = mb;
  }
  return kept;
}

await main();
