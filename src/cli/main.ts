/**
 * `friend-add`, the command line (bin/friend-add.js runs this file through tsx). The only place
 * the CLI reads the environment: through loadConfig, once a command needs Redis.
 */
import { loadConfig } from '../config/load.js';
import { processIo } from './cli-io.js';
import { runCli } from './program.js';

const code = await runCli(process.argv.slice(2), () => loadConfig(), processIo());
// Exit at once: a closed client may still hold timers, and output to pipes and files is synchronous.
process.exit(code);
