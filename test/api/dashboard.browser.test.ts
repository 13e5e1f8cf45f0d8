import { existsSync } from 'node:fs';
import { Worker } from 'bullmq';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configWith } from '../../src/config/load.js';
import { createLogger } from '../../src/lib/logger.js';
import { startApi, type RunningApi } from '../../src/api/start-api.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { waitFor } from '../helpers/wait-for.js';
import { connectRedis } from '../helpers/redis.js';
import { WaitLog } from '../../src/worker/wait-log.js';
import { Wait } from '../../src/worker/wait.js';
import { showProgress } from '../../src/worker/show-progress.js';

/** Debian's chromium, never a downloaded browser (.ci/run installs it when missing). */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];
const USER = 'ops';
const PASSWORD = 'dashboard-pw-4e9a';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('the Bull dashboard at /admin/queues, in a real browser', () => {
  let h: Harness;
  let api: RunningApi;
  let readOnlyApi: RunningApi;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: this test needs Debian's chromium (apt-get install -y chromium). It is not skipped.`);
    }
    h = createHarness('dashboard');
    await h.results.queue.add('tim', { requestId: 'dash-req-1', provider: 'tim', account: 'alice', results: [] }, { jobId: 'dash-result-1' });
    await failOneInputJob(h);
    const logger = createLogger({ level: 'silent' });
    const env = { ...h.env, DASHBOARD_USER: USER, DASHBOARD_PASSWORD: PASSWORD };
    api = await startApi(configWith(env), logger, { port: 0, host: '127.0.0.1' });
    readOnlyApi = await startApi(configWith({ ...env, DASHBOARD_READONLY: 'true' }), logger, { port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    await readOnlyApi?.close();
    await api?.close();
    await h?.close();
  });

  async function loggedIn(base: string, credentials = { username: USER, password: PASSWORD }): Promise<Page> {
    const context = await browser.newContext({ httpCredentials: credentials, baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  it('answers 401 with a Basic challenge without credentials or with wrong ones', async () => {
    const bare = await fetch(`${api.url}/admin/queues`);
    expect(bare.status).toBe(401);
    expect(bare.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
    const wrong = await fetch(`${api.url}/admin/queues/api/queues`, { headers: { authorization: basic(USER, 'nope') } });
    expect(wrong.status).toBe(401);
    // In the browser: its HTTP stack gets the 401, and headless Chromium, having no one to ask
    // for a password, stops the navigation with an auth error.
    const context = await browser.newContext();
    expect((await context.request.get(`${api.url}/admin/queues`)).status()).toBe(401);
    const page = await context.newPage();
    await expect(page.goto(`${api.url}/admin/queues`)).rejects.toThrow(/ERR_INVALID_AUTH_CREDENTIALS/);
    await context.close();
  });

  it('logs in, shows both queues, and opens a job to its data', async () => {
    const page = await loggedIn(api.url);
    expect((await page.goto('/admin/queues'))?.status()).toBe(200);
    const sidebar = page.locator('#bull-board-sidebar');
    await sidebar.getByText('friend-add', { exact: true }).waitFor();
    await sidebar.getByText('friend-add-results', { exact: true }).click();
    await page.getByText('dash-result-1').first().waitFor();
    await page.getByRole('tab', { name: 'Data' }).first().click();
    await page.getByText('"dash-req-1"').first().waitFor();
    await page.context().close();
  });

  it("shows a waiting job's reason and progress", async () => {
    const job = await h.input.add('tim', { requestId: 'dash-wait', fromAccount: 'alice', targets: [] }, { jobId: 'wait-1', delay: 3_600_000 });
    new WaitLog(h.redis, createLogger({ level: 'silent' })).note(job, new Wait(Date.now() + 3_600_000, 'account resting after a strike'));
    await showProgress(job, 400, 1000);
    await waitFor('the wait in the job log', async () => (await h.input.getJobLogs('wait-1')).count === 1);
    const page = await loggedIn(api.url);
    await page.goto('/admin/queues/queue/friend-add?status=delayed');
    await page.getByText('wait-1').first().waitFor();
    await page.getByText('40%', { exact: true }).first().waitFor();
    await page.getByRole('tab', { name: 'Progress' }).first().click();
    await page.getByText('1000', { exact: false }).first().waitFor();
    await page.getByRole('tab', { name: 'Logs' }).first().click();
    await page
      .getByText(/account resting after a strike/)
      .first()
      .waitFor();
    await page.context().close();
  });

  it('offers retry on a failed job normally; in read-only mode offers no retry, clean or pause, and refuses them', async () => {
    const retryControls = (page: Page) =>
      page
        .locator('button')
        .filter({ hasText: /retry|clean/i })
        .or(page.locator('button:has(svg.lucide-refresh-cw)'));

    const page = await loggedIn(api.url);
    await page.goto('/admin/queues/queue/friend-add?status=failed');
    await page.getByText('fail-1').first().waitFor();
    // The control: with writes allowed, the same page has its retry buttons.
    await waitFor('retry buttons', async () => (await retryControls(page).count()) >= 2, 10_000);

    const ro = await loggedIn(readOnlyApi.url);
    await ro.goto('/admin/queues/queue/friend-add?status=failed');
    await ro.getByText('fail-1').first().waitFor();
    await ro.getByRole('tab', { name: 'Error' }).first().waitFor();
    expect(await retryControls(ro).count()).toBe(0);
    expect(await ro.locator('button[aria-haspopup="menu"]').count()).toBe(0);

    const headers = { authorization: basic(USER, PASSWORD), 'content-type': 'application/json' };
    for (const action of ['retry/failed', 'clean/failed', 'pause']) {
      const reply = await fetch(`${readOnlyApi.url}/admin/queues/api/queues/friend-add/${action}`, { method: 'PUT', headers, body: '{}' });
      expect(reply.status, action).toBe(405);
    }
    expect(await h.input.getJobCounts('failed', 'waiting')).toEqual({ failed: 1, waiting: 0 });
    expect(await h.input.isPaused()).toBe(false);
    await page.context().close();
    await ro.context().close();
  });
});

/** A failed job on friend-add, failed by a throwaway worker, for the retry buttons to act on. */
async function failOneInputJob(h: Harness): Promise<void> {
  await h.input.add('tim', { requestId: 'will-fail' }, { jobId: 'fail-1' });
  const connection = connectRedis(h.env.REDIS_URL);
  const worker = new Worker('friend-add', async () => Promise.reject(new Error('failed on purpose')), { connection, prefix: h.prefix });
  try {
    await waitFor('the job to fail', async () => (await h.input.getJobCounts('failed')).failed === 1, 10_000);
  } finally {
    await worker.close();
    connection.disconnect();
  }
}
