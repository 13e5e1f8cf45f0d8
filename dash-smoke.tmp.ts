import Fastify from 'fastify';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { registerDashboard } from '/work/main/src/api/plugins/dashboard.ts';
const redis = new Redis({ maxRetriesPerRequest: null });
const prefix = 'fasmoke-' + process.pid;
const queues = ['friend-add', 'friend-add-results'].map((n) => new Queue(n, { connection: redis, prefix }));
await queues[1]!.add('tim', { requestId: 'r1', results: [] });
const app = Fastify();
await registerDashboard(app, { queues, config: { api: { port: 0, dashboardUser: 'u', dashboardPassword: 'p', dashboardReadonly: false } } });
app.get('/other', async () => 'ok');
const addr = await app.listen({ port: 0, host: '127.0.0.1' });
for (const [path, auth] of [['/admin/queues', ''], ['/admin/queues', 'u:p'], ['/admin/queues/', 'u:p'], ['/admin/queues/api/queues', 'u:p'], ['/other', '']]) {
  const r = await fetch(addr + path, { headers: auth ? { authorization: 'Basic ' + Buffer.from(auth).toString('base64') } : {} });
  const t = await r.text();
  console.log(path, auth, r.status, r.headers.get('www-authenticate'), t.slice(0, 150).replace(/\n/g, ' '));
}
await app.close(); for (const q of queues) { await q.obliterate({ force: true }); await q.close(); } redis.disconnect();
