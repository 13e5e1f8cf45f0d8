import { configDefaults, defineConfig } from 'vitest/config';

// The fault suite (test/faults) runs for minutes: it runs only when named (`npm run test:faults`,
// `vitest run test/faults`) or asked for with FAULTS_SHORT=1, never as part of plain `npm test`.
const faultsAsked = process.env.FAULTS_SHORT === '1' || process.argv.some((arg) => arg.replace(/\\/g, '/').includes('test/faults'));

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: faultsAsked ? [...configDefaults.exclude] : [...configDefaults.exclude, 'test/faults/**'],
    globalSetup: faultsAsked ? ['test/helpers/faults-global-setup.ts'] : [],
    // Integration tests start worker processes and time-sensitive limiters: on 2 cores, running
    // files one at a time keeps arrival jitter honest and the suite predictable.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
