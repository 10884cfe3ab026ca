import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// `npm run dev:web` serves the app with hot reload and forwards API calls to `npm start` on :3000.
export default defineConfig({
  root,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The chat chunk is about 665 kB (206 kB gzipped), most of it highlight.js grammars; measured, not a surprise.
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      // React Router marks its modules "use client" for server-component bundlers; meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/v1': 'http://localhost:3000',
      '/healthz': 'http://localhost:3000',
      '/readyz': 'http://localhost:3000',
      '/socket.io': { target: 'http://localhost:3000', ws: true },
    },
  },
});
