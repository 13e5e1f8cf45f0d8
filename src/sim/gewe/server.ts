import http from 'node:http';
import { ADD_CONTACTS_PATH, handleAddContacts } from './add-contacts.js';
import { preciseNowMs } from './arrival-log.js';
import { handleControl } from './control.js';
import { sendJson } from './http-io.js';
import type { SimState } from './state.js';

/** Routes requests to the addContacts handler or to the control routes. */
export function createSimServer(state: SimState): http.Server {
  const server = http.createServer((req, res) => {
    // First thing: arrival time is what the spacing and overlap checks measure.
    const at = preciseNowMs();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    let handled: Promise<void>;
    if (path === ADD_CONTACTS_PATH) {
      if (req.method !== 'POST') {
        res.setHeader('allow', 'POST');
        return sendJson(res, 405, { error: 'POST only' });
      }
      handled = handleAddContacts(state, req, res, at);
    } else if (path.startsWith('/_sim/')) {
      handled = handleControl(state, req, res, path);
    } else {
      return sendJson(res, 404, { error: `no route ${req.method} ${path}` });
    }
    handled.catch(() => {
      // A simulator bug must not take the server down with it: the client sees a 500.
      if (!res.headersSent) sendJson(res, 500, { error: 'simulator error' });
      else res.destroy();
    });
  });
  // Garbage on a socket closes that socket only.
  server.on('clientError', (_err, socket) => socket.destroy());
  return server;
}
