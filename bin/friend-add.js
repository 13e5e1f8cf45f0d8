#!/usr/bin/env node
// The `friend-add` command. The package has no build step, so this launcher registers tsx's
// loader in this same process (no second process to relay signals to) and runs the TypeScript
// entry point, src/cli/main.ts. tsx is installed by `npm ci`.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
