import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it, type TestContext } from 'node:test';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { parseConfig } from '../../server/config/index.ts';
import { skipOrFail } from '../support/requireService.ts';

const root = path.resolve(import.meta.dirname, '../..');
const chart = path.join(root, 'deploy/helm/tapeout');
const renderer = path.join(root, 'test/support/helm/render.go');
const run = promisify(execFile);

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}
interface Container {
  name: string;
  args: string[];
  env?: { name: string; value: string }[];
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
}

/** Renders the chart with Go's text/template and Sprig, Helm's engine (test/support/helm/render.go). */
async function render(values: Record<string, unknown> = {}): Promise<Manifest[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tapeout-helm-'));
  try {
    const file = path.join(dir, 'values.json');
    await writeFile(file, JSON.stringify(values));
    const { stdout } = await run('go', ['run', renderer, chart, 'tapeout', 'ai', file], {
      env: { ...process.env, GO111MODULE: 'off', GOPATH: '/usr/share/gocode', GOCACHE: path.join(os.tmpdir(), 'tapeout-gocache') },
    });
    return parseAllDocuments(stdout)
      .map((document) => document.toJSON() as Manifest)
      .filter(Boolean);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Validates a manifest against its Kubernetes (or Prometheus Operator) schema; throws naming the bad field. */
async function validate(manifest: Manifest): Promise<void> {
  const [group, version] = manifest.apiVersion.includes('/') ? manifest.apiVersion.split('/') : ['', manifest.apiVersion];
  const module =
    group === 'monitoring.coreos.com'
      ? await import(`@kubernetes-models/prometheus-operator/${group}/${version}/${manifest.kind}`)
      : await import(group ? `kubernetes-models/${group}/${version}/${manifest.kind}` : `kubernetes-models/${version}/${manifest.kind}`);
  const Model = module[manifest.kind] as new (value: Manifest) => { validate(): void };
  new Model(manifest).validate();
}

const find = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  assert.ok(found, `${kind} ${name}`);
  return found;
};
const containerOf = (deployment: Manifest) =>
  (deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers[0]!;

/** The environment a container gets: the ConfigMap, the Secret, then its own env. */
function environmentOf(manifests: Manifest[], container: Container): Record<string, string> {
  const env = { ...find(manifests, 'ConfigMap', 'tapeout').data, ...find(manifests, 'Secret', 'tapeout').stringData };
  for (const entry of container.env ?? []) env[entry.name] = entry.value;
  return env;
}

describe('the Helm chart (deploy/helm/tapeout)', () => {
  let goAvailable = false;
  before(async () => {
    goAvailable = await run('go', ['version']).then(
      () => true,
      () => false,
    );
  });
  const needsGo = (t: TestContext) =>
    skipOrFail(
      t,
      goAvailable,
      'Go with the Sprig package (Debian: golang-go golang-github-masterminds-sprig-dev golang-gopkg-yaml.v3-dev)',
    );

  it('renders server and worker Deployments, Services, a ConfigMap, a Secret and the files claim, each valid against the Kubernetes schemas', async (t) => {
    if (needsGo(t)) return;
    const manifests = await render();
    assert.deepEqual(manifests.map((manifest) => `${manifest.kind}/${manifest.metadata.name}`).sort(), [
      'ConfigMap/tapeout',
      'Deployment/tapeout-server',
      'Deployment/tapeout-worker',
      'PersistentVolumeClaim/tapeout-files',
      'Secret/tapeout',
      'Service/tapeout',
      'Service/tapeout-worker',
    ]);
    for (const manifest of manifests) await validate(manifest);

    const server = containerOf(find(manifests, 'Deployment', 'tapeout-server'));
    assert.deepEqual(server.args, ['node', 'bin/tapeout.js', 'start', '--no-worker']);
    assert.deepEqual([server.livenessProbe.httpGet.path, server.readinessProbe.httpGet.path], ['/healthz', '/readyz']);
    const worker = containerOf(find(manifests, 'Deployment', 'tapeout-worker'));
    assert.deepEqual([worker.livenessProbe.httpGet.port, worker.readinessProbe.httpGet.path], ['metrics', '/readyz']);

    // What the pods get is a configuration Tapeout accepts, with Postgres and Redis from the chart's dependencies.
    const config = parseConfig(environmentOf(manifests, worker));
    assert.equal(config.databaseUrl, 'postgresql://tapeout:tapeout@tapeout-postgresql:5432/tapeout');
    assert.equal(config.redisUrl, 'redis://tapeout-redis-master:6379');
    assert.equal(config.metricsPort, 9464);
    const grace = (
      find(manifests, 'Deployment', 'tapeout-server').spec as { template: { spec: { terminationGracePeriodSeconds: number } } }
    ).template.spec.terminationGracePeriodSeconds;
    assert.ok(grace * 1000 > parseConfig(environmentOf(manifests, server)).shutdownGraceMs, 'Kubernetes waits longer than the drain');
  });

  it('takes the NIM endpoints, external services and secrets as values, and adds a ServiceMonitor scraping with the metrics token', async (t) => {
    if (needsGo(t)) return;
    const manifests = await render({
      nim: {
        llm: { baseUrl: 'http://nim-llm:8000/v1,http://nim-llm-2:8000/v1' },
        embeddings: { baseUrl: 'http://nim-embed:8000/v1' },
        reranker: { baseUrl: 'http://nim-rerank:8000/v1' },
      },
      externalDatabaseUrl: 'postgresql://tapeout:secret@pg.internal:5432/tapeout',
      externalRedisUrl: 'redis://redis.internal:6379',
      admin: { email: 'it@example.com', apiKey: 'tap_admin_key_0123456789abcdef' },
      metricsToken: 'metrics-token-0123456789abcdef0123456789',
      serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus' } },
      ingress: { enabled: true, className: 'nginx', host: 'tapeout.example.com' },
      extraEnv: [{ name: 'SLACK_DEFAULT_ASSISTANT', value: 'chip-design-helper' }],
    });
    for (const manifest of manifests) await validate(manifest);
    const config = parseConfig(environmentOf(manifests, containerOf(find(manifests, 'Deployment', 'tapeout-server'))));
    assert.deepEqual(config.llm?.baseUrls, ['http://nim-llm:8000/v1', 'http://nim-llm-2:8000/v1']);
    assert.equal(config.embeddings?.model, 'nvidia/llama-3.2-nv-embedqa-1b-v2');
    assert.equal(config.reranker?.baseUrls[0], 'http://nim-rerank:8000/v1');
    assert.equal(config.databaseUrl, 'postgresql://tapeout:secret@pg.internal:5432/tapeout');
    assert.equal(config.metricsToken, 'metrics-token-0123456789abcdef0123456789');
    assert.equal(config.slack.defaultAssistant, 'chip-design-helper');

    const monitor = find(manifests, 'ServiceMonitor', 'tapeout').spec as {
      endpoints: { port: string; path: string; authorization: { credentials: { name: string; key: string } } }[];
    };
    assert.deepEqual(
      monitor.endpoints.map((endpoint) => [endpoint.port, endpoint.path]),
      [
        ['http', '/metrics'],
        ['metrics', '/metrics'],
      ],
    );
    assert.ok(
      monitor.endpoints.every(
        (endpoint) => endpoint.authorization.credentials.name === 'tapeout' && endpoint.authorization.credentials.key === 'METRICS_TOKEN',
      ),
    );
    find(manifests, 'Ingress', 'tapeout');
  });

  it('refuses values that cannot work: an anonymous ServiceMonitor, or several instances without Postgres or Redis', async (t) => {
    if (needsGo(t)) return;
    await assert.rejects(render({ serviceMonitor: { enabled: true } }), /serviceMonitor\.enabled needs metricsToken/);
    await assert.rejects(render({ postgresql: { enabled: false } }), /set externalDatabaseUrl, or postgresql\.enabled/);
    await assert.rejects(render({ redis: { enabled: false } }), /set externalRedisUrl, or redis\.enabled/);
  });
});
