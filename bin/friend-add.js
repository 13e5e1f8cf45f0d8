#!/usr/bin/env node
// The `friend-add` command. In a checkout (the TypeScript sources and tsx, a dev dependency, are
// both there) it registers tsx's loader in this same process (no second process to relay signals
// to) and runs src/cli/main.ts, so it needs no build. Anywhere else (the installed package, the
// Docker image, `npm ci --omit=dev`) it runs the build, dist/src/cli/main.js.
import { existsSync } from 'node:fs';

const sources = new URL('../src/cli/main.ts', import.meta.url);
const built = new URL('../dist/src/cli/main.js', import.meta.url);

async function tsxRegister() {
  if (!existsSync(sources)) return undefined;
  try {
    return (await import('tsx/esm/api')).register;
  } catch {
    return undefined;
  }
}

const register = await tsxRegister();
if (register) {
  register();
  await import(sources.href);
} else if (existsSync(built)) {
  await import(built.href);
} else {
  console.error('friend-add: no build found; run `npm run build` first (or `npm ci`, which builds)');
  process.exit(1);
}
