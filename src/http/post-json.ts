import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance, type AxiosResponse } from 'axios';
import { TransportError } from '../domain/errors.js';
import { SendTrace } from './send-trace.js';

/**
 * A provider's answer whose body parsed as JSON, whatever its status: a 5xx can carry the
 * provider's own envelope, which its code table must read like any other answer.
 */
export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** What a caller may hook into one request. */
export interface SendHooks {
  /** The job's signal: shutting down aborts the call. */
  signal?: AbortSignal;
  /** Told when the request's last byte went to the socket (our clock, ms): a rate permit is measured from there. */
  onSent?: (atMs: number) => void;
  /**
   * Told when the answer's head arrived (our clock, ms), before its body is read or parsed: the
   * call reached the provider before this. Not told when no answer came (an error, a timeout).
   */
  onAnswered?: (atMs: number) => void;
}

export interface PostJsonOptions extends SendHooks {
  /** Hard deadline for the whole call, body included. */
  timeoutMs: number;
  headers?: Record<string, string>;
  /** Agents for this call instead of the client's keep-alive ones (see freshConnectionAgents). */
  agents?: { http: http.Agent; https: https.Agent };
}

/**
 * Agents that open a connection for every request. A kept-alive socket that the server closed
 * while idle can fail just after the request was handed to it: the request then may have left,
 * and a GeWe add that may have left is never sent again. On a fresh connection no such race
 * exists; GeWe's pace (minutes between an account's calls) makes the handshake's cost nothing.
 */
export function freshConnectionAgents(): { http: http.Agent; https: https.Agent } {
  return { http: new http.Agent({ keepAlive: false }), https: new https.Agent({ keepAlive: false }) };
}

/**
 * One keep-alive axios instance per process and origin. It never retries by itself: retries
 * belong to the worker's policy, or attempt counts multiply and so do duplicate adds.
 */
export function createHttpClient(): AxiosInstance {
  return axios.create({
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 256 }),
    maxRedirects: 0,
    // The body is serialised already: axios's default transform would parse it again to check it
    // is JSON (for a 1000-target TIM call, ~40 KB parsed for nothing on every call).
    transformRequest: [(data: unknown) => data],
    // Raw text: we parse it ourselves, so that HTML and truncated JSON are told apart.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
}

/**
 * POSTs an already serialised JSON body and returns any answer whose body is JSON. Throws
 * TransportError for network errors and timeouts (`sent` false only when no byte of the request
 * left this process, see SendTrace), a 5xx whose body is not JSON (`http_<status>`: a gateway's
 * page), and other bodies that are not JSON (`bad_response`).
 */
export async function postJson(client: AxiosInstance, url: string, body: string, options: PostJsonOptions): Promise<HttpAnswer> {
  // axios's `timeout` does not bound a slowly arriving body; an AbortSignal does.
  const call = callSignal(options.timeoutMs, options.signal);
  const trace = new SendTrace();
  let response: AxiosResponse<string>;
  try {
    response = await client.post<string>(url, body, {
      headers: { 'content-type': 'application/json', ...options.headers },
      timeout: options.timeoutMs,
      signal: call.signal,
      transport: trace.transport(options),
      ...(options.agents && { httpAgent: options.agents.http, httpsAgent: options.agents.https }),
    });
  } catch (err) {
    throw toTransportError(err, call.timedOut(), trace.mayHaveLeft());
  } finally {
    call.end();
  }
  return { status: response.status, body: parseJsonBody(response.data, response.status) };
}

/**
 * One call's signal: aborted at its deadline, or when `outer` (the job's) is. Its timer is cleared
 * when the call ends: `AbortSignal.timeout` left each call's timer pending for its whole length
 * (at 600 calls a second and 10 s, 6,000 of them) and `AbortSignal.any` tied the two together
 * through weak references, 6.5-7.3 µs a call where this takes 0.7-1.6 (docs/benchmarks.md,
 * nineteenth sitting).
 */
function callSignal(timeoutMs: number, outer: AbortSignal | undefined) {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, timeoutMs);
  const onOuterAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) onOuterAbort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    end() {
      clearTimeout(timer);
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

function parseJsonBody(text: unknown, status: number): unknown {
  const notJson = (what: string) =>
    status >= 500
      ? new TransportError(`HTTP ${status} with ${what}`, `http_${status}`, true)
      : new TransportError(`${what} (HTTP ${status})`, 'bad_response', true);
  if (typeof text !== 'string' || text.trim() === '') throw notJson('an empty body');
  try {
    return JSON.parse(text);
  } catch {
    const kind = /^\s*</.test(text) ? 'an HTML body' : 'a body that is not JSON';
    throw notJson(`${kind}, ${text.length} bytes`);
  }
}

function toTransportError(err: unknown, deadlinePassed: boolean, mayHaveLeft: boolean): TransportError {
  if (err instanceof TransportError) return err;
  const ax = err instanceof AxiosError ? err : undefined;
  const code = ax?.code ?? (err as { code?: string })?.code ?? '';
  const unsent = mayHaveLeft ? '' : ' before any byte was sent';
  if (deadlinePassed || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransportError(`timed out${unsent}`, 'timeout', mayHaveLeft);
  }
  if (code === 'ERR_CANCELED') return new TransportError(`aborted${unsent}`, 'network', mayHaveLeft);
  // The message only: axios errors carry the URL, and TIM's URL carries the UserSig.
  return new TransportError(`network: ${code || (err as Error)?.message || 'unknown'}${unsent}`, 'network', mayHaveLeft);
}
