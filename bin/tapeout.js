#!/usr/bin/env node
// The CLI runs the TypeScript sources through tsx's loader, so there is no separate
// server build step between `npm install` and `npm start`.
import { register } from 'tsx/esm/api';

register();
await import('../server/cli/main.ts');
