/** `npm run demo [-- --keep-running]`: the whole flow on the built-in simulators. Needs only a Redis. */
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../src/app/load-config-or-exit.js';
import { runDemo } from '../src/demo/run-demo.js';

const { values } = parseArgs({ options: { 'keep-running': { type: 'boolean', default: false } }, strict: true });
const code = await runDemo(loadConfigOrExit({ requireCredentials: false }), { keepRunning: values['keep-running'] });
process.exit(code);
