import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The package's own package.json, found by walking up from this module: src/lib/ in a checkout,
 * dist/src/lib/ in a build or an installed package, so no fixed `../..` that holds for only one.
 */
export function packageInfo(): { name: string; version: string } {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i += 1) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'friend-add-queue' && pkg.version) return { name: pkg.name, version: pkg.version };
    }
    dir = dirname(dir);
  }
  throw new Error(`package.json of friend-add-queue not found above ${fileURLToPath(import.meta.url)}`);
}
