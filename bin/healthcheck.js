#!/usr/bin/env node
// The image's HEALTHCHECK: GET /healthz on this container's own process. A worker answers it on
// WORKER_METRICS_PORT (its metrics server); the API and `npm start` on API_PORT. With
// WORKER_METRICS_PORT set the worker's port is asked (`npm start` serves both), else API_PORT
// (default 3000). Exit 0 when it answers 2xx within 2 s, else 1, as Docker wants.
const port = process.env.WORKER_METRICS_PORT || process.env.API_PORT || '3000';
const url = `http://127.0.0.1:${port}/healthz`;
try {
  const reply = await fetch(url, { signal: AbortSignal.timeout(2000) });
  if (!reply.ok) console.error(`healthcheck: ${url} answered ${reply.status}`);
  process.exit(reply.ok ? 0 : 1);
} catch (err) {
  console.error(`healthcheck: ${url}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
