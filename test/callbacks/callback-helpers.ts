import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import type { Harness } from '../helpers/harness.js';
import { TEST_SDKAPPID } from '../helpers/harness.js';
import { JobStore } from '../../src/queue/job-store.js';
import { Keys } from '../../src/lib/keys.js';
import { EVENTS_QUEUE } from '../../src/queue/names.js';
import { timCallbackSign } from '../../src/callbacks/tim-sign.js';
import type { ProviderName, TargetResult } from '../../src/domain/types.js';

export const TIM_TOKEN = 'test-tim-callback-token-1234';
export const GEWE_SECRET = 'test-gewe-callback-secret-0123456789';

/** Records finals as a worker would (record-results.lua), without a worker. */
export async function recordResults(
  h: Harness,
  ref: { requestId: string; provider: ProviderName; account: string; jobId?: string },
  finals: { target: string; outcome: TargetResult['outcome']; code: TargetResult['code'] }[],
): Promise<void> {
  const store = new JobStore(h.redis, new Keys(h.prefix), 60_000);
  const jobId = ref.jobId ?? `${ref.requestId}-job`;
  const results = finals.map((f) => ({ ...f, info: '', attempts: 1, finishedAt: new Date().toISOString() }));
  await store.record({ stateId: `${jobId}-1`, jobId, requestId: ref.requestId, provider: ref.provider, account: ref.account }, results);
}

/** The query TIM adds to the callback URL, signed for `token` unless told otherwise. */
export function timQuery(options: { token?: string; sdkAppId?: number; requestTime?: number; sign?: string } = {}): string {
  const time = String(options.requestTime ?? Math.floor(Date.now() / 1000));
  const query = new URLSearchParams({
    SdkAppid: String(options.sdkAppId ?? TEST_SDKAPPID),
    CallbackCommand: 'Sns.CallbackFriendAdd',
    contenttype: 'json',
    ClientIP: '127.0.0.1',
    OptPlatform: 'RESTAPI',
    RequestTime: time,
    Sign: options.sign ?? timCallbackSign(options.token ?? TIM_TOKEN, time),
  });
  return query.toString();
}

export function timFriendAddBody(pairs: [string, string][]) {
  return {
    CallbackCommand: 'Sns.CallbackFriendAdd',
    PairList: pairs.map(([from, to]) => ({ From_Account: from, To_Account: to, Initiator_Account: from })),
    ClientCmd: 'friend_response',
    Admin_Account: 'administrator',
    ForceFlag: 0,
  };
}

export function postTim(app: FastifyInstance, body: unknown, query = timQuery()) {
  return app.inject({
    method: 'POST',
    url: `/v1/callbacks/tim?${query}`,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

export function postGewe(app: FastifyInstance, body: unknown, secret = GEWE_SECRET) {
  return app.inject({
    method: 'POST',
    url: `/v1/callbacks/gewe/${secret}`,
    payload: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });
}

/** GeWe's ModContacts push: `v3` passed verification and is a friend of `appId` now. */
export function modContacts(appId: string, v3: string, wxid = `wxid_${v3}`) {
  return { TypeName: 'ModContacts', Appid: appId, Wxid: 'wxid_self', Data: { UserName: { string: wxid }, EncryptUserName: v3, NickName: { string: 'n' } } };
}

let msgIds = 7286738362437346000n;

/** GeWe's AddMsg 37: someone asks `appId` to be friends. */
export function friendRequestMsg(appId: string, v3: string, greeting: string, scene = 6) {
  msgIds += 1n;
  const xml = `<msg fromusername="wxid_${v3}" encryptusername="${v3}" fromnickname="Nick &amp; Co" content="${greeting}" scene="${scene}" ticket="v4_${v3}@stranger" opcode="2" />`;
  return `{"TypeName":"AddMsg","Appid":${JSON.stringify(appId)},"Wxid":"wxid_self","Data":{"MsgId":1,"NewMsgId":${msgIds},"FromUserName":{"string":"fmessage"},"ToUserName":{"string":"wxid_self"},"MsgType":37,"Content":{"string":${JSON.stringify(xml)}},"CreateTime":1700000000}}`;
}

export function eventsQueue(h: Harness): Queue {
  return new Queue(EVENTS_QUEUE, { connection: h.redis, prefix: h.prefix });
}

export async function eventJobs(events: Queue) {
  return events.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized']);
}

/**
 * Every key under the harness's prefix but BullMQ's queue metadata (written when a queue handle
 * first connects), sorted: a handler that stored nothing leaves it unchanged.
 */
export async function keysUnder(h: Harness): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await (h.redis as import('ioredis').Redis).scan(cursor, 'MATCH', `${h.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    found.push(...keys.filter((k) => !k.endsWith(':meta')));
  } while (cursor !== '0');
  return found.sort();
}
