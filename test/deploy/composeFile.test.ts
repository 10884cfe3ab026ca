import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseConfig } from '../../server/config/index.ts';

const root = path.resolve(import.meta.dirname, '../..');

interface Service {
  command?: string[];
  environment?: Record<string, string | number>;
  profiles?: string[];
  ports?: string[];
  stop_grace_period?: string;
}

/** Compose's `${NAME:-default}` as an unset .env leaves it. */
const withDefaults = (value: string | number) => String(value).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1');

describe('docker-compose.yml and its Prometheus configuration', async () => {
  const compose = parse(await readFile(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    configs: Record<string, { file?: string }>;
  };
  const prometheus = parse(await readFile(path.join(root, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
    scrape_configs: {
      job_name: string;
      authorization: { credentials_file: string };
      static_configs?: { targets: string[] }[];
      dns_sd_configs?: { names: string[]; port: number }[];
    }[];
  };

  it('adds a second server instance and Prometheus under the scale profile, and only there', () => {
    const { services } = compose;
    assert.deepEqual(services['server-b']?.profiles, ['scale']);
    assert.deepEqual(services['server-b']?.command, services.server?.command);
    assert.notDeepEqual(services['server-b']?.ports, services.server?.ports);
    assert.deepEqual(services.prometheus?.profiles, ['scale']);
    assert.equal(services.server?.profiles, undefined);
    assert.equal(compose.configs['prometheus-config']?.file, './deploy/prometheus/prometheus.yml');
  });

  it('gives every Tapeout service a configuration Tapeout accepts, and Docker more time than the drain', () => {
    for (const name of ['server', 'server-b', 'worker']) {
      const environment = Object.fromEntries(
        Object.entries(compose.services[name]!.environment ?? {}).map(([key, value]) => [key, withDefaults(value)]),
      );
      const config = parseConfig(environment);
      assert.equal(config.redisUrl, 'redis://redis:6379', name);
      assert.ok(
        Number.parseInt(compose.services[name]!.stop_grace_period ?? '10s', 10) * 1000 > config.shutdownGraceMs,
        `${name} drains before Docker's SIGKILL`,
      );
    }
    assert.equal(
      parseConfig(
        Object.fromEntries(Object.entries(compose.services.worker!.environment!).map(([key, value]) => [key, withDefaults(value)])),
      ).metricsPort,
      9464,
    );
  });

  it('scrapes both servers and every worker with the metrics token, at the ports they serve', () => {
    const byJob = Object.fromEntries(prometheus.scrape_configs.map((job) => [job.job_name, job]));
    assert.deepEqual(byJob['tapeout-server']?.static_configs?.[0]?.targets, ['server:3000', 'server-b:3000']);
    assert.deepEqual(byJob['tapeout-worker']?.dns_sd_configs?.[0], {
      names: ['worker'],
      type: 'A',
      port: Number(compose.services.worker!.environment!.METRICS_PORT),
    });
    for (const job of prometheus.scrape_configs) assert.equal(job.authorization.credentials_file, '/etc/prometheus/metrics-token');
  });
});
