import type { AxiosInstance } from 'axios';
import type { TransportError } from '../../domain/errors.js';
import type { CallVerdict } from '../../domain/verdict.js';
import { freshConnectionAgents, postJson, type HttpAnswer, type SendHooks } from '../../http/post-json.js';
import { secrets } from '../../lib/secrets.js';
import type { PreparedCall, Provider } from '../provider.js';
import { classifyGeweAnswer } from './classify.js';
import type { GeweJob, GeweOption } from './schema.js';

export const GEWE_ADD_CONTACTS_PATH = '/gewe/v2/api/contacts/addContacts';

/** One addContacts call, ready to go: serialised before a pacing permit is taken. */
export interface GewePreparedCall extends PreparedCall {
  readonly url: string;
  /** The JSON body, exactly `{appId, scene, option, v3, v4, content}`. */
  readonly body: string;
  /** Carries X-GEWE-TOKEN: the token is registered with `secrets`, so logs scrub it. */
  readonly headers: Record<string, string>;
  readonly appId: string;
  readonly option: GeweOption;
  readonly v3: string;
}

export interface GeweProvider extends Provider<GewePreparedCall> {
  prepare(job: GeweJob): GewePreparedCall;
}

export interface GeweProviderDeps {
  /** GeWe's origin, such as `http://api.geweapi.com`; a trailing slash is ignored. */
  baseUrl: string;
  /** Sent as X-GEWE-TOKEN; never logged, never in an error message. */
  token: string;
  /** The process's client (createHttpClient): it never retries by itself. GeWe calls use it with
   * a fresh connection each (freshConnectionAgents), never a kept-alive socket. */
  http: AxiosInstance;
  /** Deadline for one call, body included. */
  timeoutMs: number;
}

export function createGeweProvider(deps: GeweProviderDeps): GeweProvider {
  secrets.add(deps.token);
  const url = `${deps.baseUrl.replace(/\/+$/, '')}${GEWE_ADD_CONTACTS_PATH}`;
  // One frozen object shared by every call: nothing per call to build on the hot path.
  const headers: Record<string, string> = Object.freeze({ 'X-GEWE-TOKEN': deps.token });
  const agents = freshConnectionAgents();

  return {
    name: 'gewe',

    prepare(job: GeweJob): GewePreparedCall {
      const { appId, scene, option, v3, v4, content } = job;
      // requestId and any other key stay ours: GeWe gets the six documented fields only.
      const body = JSON.stringify({ appId, scene, option, v3, v4, content });
      return { targets: [v3], url, body, headers, appId, option, v3 };
    },

    send(prepared: GewePreparedCall, hooks?: SendHooks): Promise<HttpAnswer> {
      return postJson(deps.http, prepared.url, prepared.body, { timeoutMs: deps.timeoutMs, headers: prepared.headers, agents, ...hooks });
    },

    classify(prepared: GewePreparedCall, answer: HttpAnswer | TransportError): CallVerdict {
      return classifyGeweAnswer(prepared, answer);
    },
  };
}
