import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import { z } from 'zod';
import { chatRoute } from './chatRoute.ts';
import { embeddingsRoute } from './embeddingsRoute.ts';
import { FaultInjector, faultSchema, type Fault } from './faults.ts';
import { defaultEmulatorOptions, type EmulatorStats, type NimEmulatorOptions } from './options.ts';
import { rankingRoute } from './rankingRoute.ts';

/**
 * A stand-in for NVIDIA NIM's LLM, embedding and reranking containers, for development, tests
 * and benchmarks on machines without GPUs. Its outputs are deterministic and marked as emulated;
 * Tapeout never uses it unless a *_BASE_URL points at it.
 */
export class NimEmulator {
  readonly app: Express;
  readonly faults = new FaultInjector();
  readonly options: NimEmulatorOptions;
  readonly stats: EmulatorStats = { requests: { chat: 0, embeddings: 0, ranking: 0 }, abandonedStreams: 0 };
  private readyOverride: boolean | undefined;
  private readonly startedAt = Date.now();
  private server: Server | undefined;

  constructor(options: Partial<NimEmulatorOptions> = {}) {
    this.options = { ...defaultEmulatorOptions, ...options };
    const app = express();
    app.use(express.json({ limit: '20mb' }));
    const notReady: express.RequestHandler = (_req, res, next) =>
      this.ready()
        ? next()
        : void res.status(503).json({ object: 'error', message: 'Model is loading.', type: 'ServiceUnavailable', code: 503 });

    app.get('/v1/health/live', (_req, res) => void res.json({ object: 'health.response', message: 'live', live: true }));
    app.get('/v1/health/ready', (_req, res) => {
      const ready = this.ready();
      res.status(ready ? 200 : 503).json({ object: 'health.response', message: ready ? 'ready' : 'not ready', ready });
    });
    app.get('/v1/models', (_req, res) => {
      const { llmModel, embeddingModel, rerankModel } = this.options;
      res.json({
        object: 'list',
        data: [llmModel, embeddingModel, rerankModel].map((id) => ({
          id,
          object: 'model',
          created: 0,
          owned_by: 'tapeout-nim-emulator',
          root: id,
        })),
      });
    });
    app.post(
      '/v1/chat/completions',
      notReady,
      chatRoute(this.options, () => this.faults.take('chat'), this.stats),
    );
    app.post(
      '/v1/embeddings',
      notReady,
      embeddingsRoute(this.options, () => this.faults.take('embeddings'), this.stats),
    );
    app.post(
      '/v1/ranking',
      notReady,
      rankingRoute(this.options, () => this.faults.take('ranking'), this.stats),
    );

    // Control plane for tests and demos: inject faults, force readiness.
    app.put('/emulator/faults', (req, res) => {
      const parsed = z.object({ faults: z.array(faultSchema) }).safeParse(req.body);
      if (!parsed.success) return void res.status(400).json({ error: { code: 'invalid_request', message: parsed.error.message } });
      this.faults.set(parsed.data.faults);
      res.status(204).end();
    });
    app.put('/emulator/ready', (req, res) => {
      this.readyOverride = req.body?.ready === undefined ? undefined : Boolean(req.body.ready);
      res.status(204).end();
    });
    app.use((err: { status?: number; message: string }, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(err.status ?? 500).json({ object: 'error', message: err.message, type: 'BadRequestError', code: err.status ?? 500 });
    });
    this.app = app;
  }

  ready(): boolean {
    return this.readyOverride ?? Date.now() - this.startedAt >= this.options.warmupMs;
  }

  injectFaults(faults: Partial<Fault>[]): void {
    this.faults.set(faults.map((fault) => faultSchema.parse(fault)));
  }

  /** Listens and returns the base URL, ending in /v1. */
  async listen(port = 0, host = '127.0.0.1'): Promise<string> {
    this.server = await new Promise<Server>((resolve, reject) => {
      const server = this.app.listen(port, host, () => resolve(server));
      server.once('error', reject);
    });
    return `http://${host}:${(this.server.address() as AddressInfo).port}/v1`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}
