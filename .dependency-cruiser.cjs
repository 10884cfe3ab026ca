/**
 * Tapeout's layering, checked by `npm run lint` (dependency-cruiser): no import cycle; the core
 * (everything but the delivery layers and the composition root) never imports HTTP, Slack or
 * socket.io code; only the HTTP layer parses multipart uploads; ingestion never imports the
 * composition root; the corpus (server/corpus/: documents, versions, jobs, chunks, stored files)
 * lies below both the pipeline (ingestion/) and the use cases, and the pipeline calls no use case;
 * only the delivery layers and the composition root see services.ts; a request never acts as
 * Tapeout itself (server/access/systemActor.ts); the web app sees of the server only the response
 * shapes of server/presenters/, which import no delivery code. Type-only imports count: a
 * cycle of types is still a cycle for a reader.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to read, test or load alone.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-delivery',
      severity: 'error',
      comment: 'The core describes errors and results; only http/, slack/, realtime/ and mcp/ speak their protocols.',
      from: { path: '^(server|ingestion)/', pathNot: '^server/(http|slack|realtime|mcp|cli)/|^server/(runtime|services)\\.ts$' },
      to: { path: '^server/(http|slack|realtime|mcp)/' },
    },
    {
      name: 'mcp-sdk-only-in-mcp',
      severity: 'error',
      comment: "The Model Context Protocol's SDK is the MCP integration's own: the core and the other layers never import it.",
      from: { path: '^(server|ingestion|bin|web)/', pathNot: '^server/mcp/' },
      to: { path: 'node_modules/@modelcontextprotocol/' },
    },
    {
      name: 'multipart-only-in-http',
      severity: 'error',
      comment: 'Uploads are parsed in the HTTP layer and handed to ingestion as staged files with their metadata.',
      from: { pathNot: '^server/http/' },
      to: { path: 'node_modules/busboy/' },
    },
    {
      name: 'ingestion-not-composition-root',
      severity: 'error',
      comment: 'Tasks declare the few dependencies they use; the composition root (services.ts, runtime.ts) builds them.',
      from: { path: '^ingestion/' },
      to: { path: '^server/(services|runtime)\\.ts$' },
    },
    {
      name: 'corpus-below-pipeline-and-use-cases',
      severity: 'error',
      comment: 'The corpus is what the pipeline, the use cases and (next) the sources all write: it imports none of them.',
      from: { path: '^server/corpus/' },
      to: { path: '^ingestion/|^server/(documents|answering|conversations|assistants|sources|seed|cli)/|Service\\.ts$' },
    },
    {
      name: 'pipeline-calls-no-use-case',
      severity: 'error',
      comment: 'ingestion/ parses, chunks, extracts and runs its tasks over the corpus; use cases call it, never the reverse.',
      from: { path: '^ingestion/' },
      to: { path: '^server/(documents|answering|conversations|assistants|seed|cli)/|Service\\.ts$' },
    },
    {
      name: 'only-delivery-sees-the-composition-root',
      severity: 'error',
      comment: 'A module declares the few dependencies it uses; only delivery layers and the root take the whole Services bag.',
      from: {
        path: '^(server|ingestion)/',
        pathNot: '^server/(http|slack|realtime|mcp|cli)/|^server/(runtime|services|registerTasks)\\.ts$',
      },
      to: { path: '^server/services\\.ts$' },
    },
    {
      name: 'requests-never-act-as-tapeout',
      severity: 'error',
      comment:
        'The system actor passes every admin check: HTTP, socket.io, Slack and MCP act as the principal they authenticated, never as Tapeout (the CLI, start-up and SCIM may).',
      from: { path: '^server/(http|realtime|slack|mcp)/' },
      to: { path: '^server/access/systemActor\\.ts$' },
    },
    {
      name: 'web-sees-only-presenters',
      severity: 'error',
      comment:
        'The API contract is server/presenters/ (one module per resource); the web app never reaches into services, repositories or routes, so they can change without breaking it.',
      from: { path: '^web/' },
      to: { path: '^(server|ingestion)/', pathNot: '^server/presenters/' },
    },
    {
      name: 'presenters-shape-only',
      severity: 'error',
      comment: 'A presenter turns a service result into a response: it may name their types, but reads nothing and calls no service.',
      from: { path: '^server/presenters/' },
      to: { path: 'Repository\\.ts$|Service\\.ts$|^server/db/', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js'] },
  },
};
