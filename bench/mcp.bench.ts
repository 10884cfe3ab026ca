/**
 * MCP benchmark (`npm run bench:mcp`): what Tapeout's MCP layer adds to a search. Runs `tapeout
 * start` as its own process with the demo corpus, then asks the same questions through POST
 * /api/search and through the MCP `search` tool (the SDK's client over Streamable HTTP, one
 * session), alternating per question so drift hits both alike, after one warm-up round. Reports
 * each surface's latency and the per-question difference. Writes bench/results/mcp.json.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { startTapeoutProcess } from '../test/support/tapeoutProcess.ts';
import { demoIngested } from './demoCorpus.ts';

const adminKey = `tap_bench_${randomUUID().replace(/-/g, '')}`;
const subjects = ['clock domain crossing', 'hold fixing', 'tape-out checklist', 'reset synchroniser', 'IR drop', 'scan insertion'];
const asks = ['What is the rule for', 'How do we handle', 'Who signs off', 'Which tool checks', 'What are the steps of'];
const questions = subjects.flatMap((subject) => asks.map((ask) => `${ask} ${subject}?`));
const rounds = 3;

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-bench-mcp-'));
const server = await startTapeoutProcess({ DATA_DIR: dataDir, ADMIN_API_KEY: adminKey, CHAT_QUESTIONS_PER_MINUTE: '100000' }, 180_000);
const headers = { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' };

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { p50Ms: at(0.5), p95Ms: at(0.95), samples: sorted.length };
};

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

try {
  await demoIngested(server.url, headers);
  const client = new Client({ name: 'tapeout-bench', version: '1' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit: { headers: { authorization: `Bearer ${adminKey}` } } }),
  );
  const rest = (query: string) =>
    fetch(`${server.url}/api/search`, { method: 'POST', headers, body: JSON.stringify({ query }) }).then(async (response) => {
      if (!response.ok) throw new Error(`REST search answered ${response.status}: ${await response.text()}`);
      return response.json();
    });
  const mcp = async (query: string) => {
    const result = await client.callTool({ name: 'search', arguments: { query } });
    if (result.isError) throw new Error(`MCP search failed: ${JSON.stringify(result.content)}`);
  };
  for (const question of questions) await Promise.all([rest(question), mcp(question)]);

  const restMs: number[] = [];
  const mcpMs: number[] = [];
  const differenceMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [i, question] of questions.entries()) {
      // Alternate which goes first, so the one that finds the database's caches warm is not always the same.
      const [first, second] = (i + round) % 2 === 0 ? [rest, mcp] : [mcp, rest];
      const a = await timed(() => first(question));
      const b = await timed(() => second(question));
      const [r, m] = first === rest ? [a, b] : [b, a];
      restMs.push(r);
      mcpMs.push(m);
      differenceMs.push(m - r);
    }
  }
  await client.close();

  const report = {
    measuredAt: new Date().toISOString(),
    machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB`,
    setup:
      'tapeout start as its own process, embedded database, demo corpus, CPU embedders, no reranker; the same 30 questions through POST /api/search and the MCP search tool (SDK client, Streamable HTTP, one session), one at a time, alternating, after a warm-up round',
    restSearch: stats(restMs),
    mcpSearch: stats(mcpMs),
    mcpMinusRest: stats(differenceMs),
  };
  const file = path.join(import.meta.dirname, 'results/mcp.json');
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  console.log(JSON.stringify(report, null, 2));
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
