/** `npm run demo`: the whole flow on the built-in simulators. Needs only a Redis. */
import { loadConfig } from '../src/config/load.js';
import { runDemo } from '../src/demo/run-demo.js';

const code = await runDemo(loadConfig());
process.exit(code);
