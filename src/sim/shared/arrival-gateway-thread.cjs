'use strict';
// The arrival gateway's thread: arrival-gateway.ts says why it exists. Plain CommonJS, because a
// worker thread starts without the TypeScript loader.
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

const { host, port, backendPort, header } = workerData;

// TIM's edge has CPUs of its own. On a machine the workers keep busy, this thread (setpriority
// with pid 0 names the calling thread on Linux) takes the first claim on a CPU when a call comes,
// where the OS allows it (CAP_SYS_NICE); elsewhere it stays at the default and stamps a little later.
try {
  require('node:os').setPriority(0, -10);
} catch {
  // not permitted here
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1024 });

const server = http.createServer((req, res) => {
  // First thing, as TIM's gateway would: the simulator's own work cannot delay this stamp.
  const at = performance.timeOrigin + performance.now();
  const upstream = http.request(
    { host: '127.0.0.1', port: backendPort, method: req.method, path: req.url, headers: { ...req.headers, [header]: at.toFixed(3) }, agent },
    (answer) => {
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
      // The simulator cut its answer short (a fault): so does the gateway, and the client sees it.
      answer.on('aborted', () => res.destroy());
      answer.on('error', () => res.destroy());
    },
  );
  // A reset from the simulator resets the client's call too.
  upstream.on('error', () => res.destroy());
  // The client gave up (a timeout, a shutdown): the simulator sees its call end as well.
  res.on('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
server.on('clientError', (_err, socket) => socket.destroy());
server.listen(port, host, () => parentPort.postMessage({ port: server.address().port }));
parentPort.on('message', (message) => {
  if (message !== 'close') return;
  server.close(() => parentPort.postMessage('closed'));
  server.closeAllConnections();
  agent.destroy();
});
