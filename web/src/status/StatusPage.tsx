import { useReadiness, type ComponentStatus, type Readiness } from './useReadiness.ts';

const componentNames: Record<string, string> = {
  database: 'Database',
  queue: 'Job queue',
  llm: 'LLM',
  embeddings: 'Embeddings',
  reranker: 'Reranker',
};

function describeMode(mode: string): string {
  if (mode === 'embedded') return 'embedded (built in)';
  if (mode === 'inline') return 'in-process';
  if (mode === 'extractive') return 'none: answers are extractive';
  return mode;
}

function ComponentRow({ name, status }: { name: string; status: ComponentStatus }) {
  return (
    <tr>
      <th scope="row">{componentNames[name] ?? name}</th>
      <td>{describeMode(status.mode)}</td>
      <td className={status.ok ? 'ok' : 'down'}>{status.ok ? 'ok' : 'unavailable'}</td>
      <td>{status.detail ?? ''}</td>
    </tr>
  );
}

function ComponentTable({ readiness }: { readiness: Readiness }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Component</th>
          <th scope="col">Mode</th>
          <th scope="col">State</th>
          <th scope="col">Detail</th>
        </tr>
      </thead>
      <tbody>
        {Object.entries(readiness.components).map(([name, status]) => (
          <ComponentRow key={name} name={name} status={status} />
        ))}
      </tbody>
    </table>
  );
}

export function StatusPage() {
  const state = useReadiness();
  return (
    <main>
      <header>
        <h1>Tapeout</h1>
        <p>Domain assistants on your own inference microservices.</p>
      </header>
      <section aria-labelledby="status-heading">
        <h2 id="status-heading">System status</h2>
        {state.kind === 'loading' && <p role="status">Checking services…</p>}
        {state.kind === 'error' && <p role="alert">{state.message}</p>}
        {state.kind === 'ready' && (
          <>
            <p role="status">
              Overall: <strong>{state.readiness.status}</strong>
            </p>
            {'components' in state.readiness ? (
              <ComponentTable readiness={state.readiness} />
            ) : (
              <p className="hint">Sign in as an admin to see each service, where it runs and what it reports.</p>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="api-heading">
        <h2 id="api-heading">Using Tapeout</h2>
        <p>
          <a href="/">Sign in</a> for the chat and, as an admin, the admin console. Scripts use the REST API at <code>/api</code> and the
          OpenAI-compatible API at <code>/v1</code> with <code>Authorization: Bearer &lt;api key&gt;</code>; the bootstrap admin's password
          and key are printed once when Tapeout first starts.
        </p>
      </section>
    </main>
  );
}
