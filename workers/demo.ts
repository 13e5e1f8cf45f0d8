/** `npm run demo`: the whole flow on the built-in simulators. Needs only a Redis. */
import { loadConfigOrExit } from '../src/app/load-config-or-exit.js';
import { runDemo } from '../src/demo/run-demo.js';

const code = await runDemo(loadConfigOrExit());
process.exit(code);
