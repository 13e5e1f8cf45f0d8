import http from 'node:http';
import https from 'node:https';
import axios, { AxiosError, type AxiosInstance } from 'axios';
import { TransportError } from '../domain/errors.js';
import { preciseNow } from '../lib/precise-now.js';

/** A provider's answer with a 2xx-4xx status and a body that parsed as JSON. */
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
}

export interface PostJsonOptions extends SendHooks {
  /** Hard deadline for the whole call, body included. */
  timeoutMs: number;
  headers?: Record<string, string>;
}

/** Errors raised before any byte could reach the provider: safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * One keep-alive axios instance per process and origin. It never retries by itself: retries
 * belong to the worker's policy, or attempt counts multiply and so do duplicate adds.
 */
export function createHttpClient(): AxiosInstance {
  return axios.create({
    httpAgent: new http.Agent({ keepAlive: true, maxSockets: 256 }),
    httpsAgent: new https.Agent({ keepAlive: true, maxSockets: 256 }),
    maxRedirects: 0,
    // Raw text: we parse it ourselves, so that HTML and truncated JSON are told apart.
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    validateStatus: () => true,
  });
}

/**
 * POSTs an already serialised JSON body. Throws TransportError for network errors, timeouts,
 * 5xx, and bodies that are not JSON; never returns those as answers.
 */
export async function postJson(
  client: AxiosInstance,
  url: string,
  body: string,
  options: PostJsonOptions,
): Promise<HttpAnswer> {
  // axios's `timeout` does not bound a slowly arriving body; an AbortSignal does.
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  let response;
  try {
    response = await client.post<string>(url, body, {
      headers: { 'content-type': 'application/json', ...options.headers },
      timeout: options.timeoutMs,
      signal,
      ...(options.onSent && { transport: transportTelling(options.onSent) }),
    });
  } catch (err) {
    throw toTransportError(err, deadline.aborted);
  }
  if (response.status >= 500) {
    throw new TransportError(`HTTP ${response.status}`, `http_${response.status}`, true);
  }
  return { status: response.status, body: parseJsonBody(response.data, response.status) };
}

/**
 * Node's own http/https, as axios would pick them, plus a report of the moment the request was
 * handed to the socket whole ('finish'): later than that, nothing of ours can delay the call.
 */
function transportTelling(onSent: (atMs: number) => void) {
  return {
    request(options: http.RequestOptions, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest {
      const request = (options.protocol === 'https:' ? https : http).request(options, onResponse);
      request.once('finish', () => onSent(preciseNow()));
      return request;
    },
  };
}

function parseJsonBody(text: unknown, status: number): unknown {
  if (typeof text !== 'string' || text.trim() === '') {
    throw new TransportError(`empty body (HTTP ${status})`, 'bad_response', true);
  }
  try {
    return JSON.parse(text);
  } catch {
    const kind = /^\s*</.test(text) ? 'HTML' : 'unparsable JSON';
    throw new TransportError(`${kind} body (HTTP ${status}, ${text.length} bytes)`, 'bad_response', true);
  }
}

function toTransportError(err: unknown, deadlinePassed: boolean): TransportError {
  if (err instanceof TransportError) return err;
  const ax = err instanceof AxiosError ? err : undefined;
  const code = ax?.code ?? (err as { code?: string })?.code ?? '';
  if (deadlinePassed || code === 'ECONNABORTED' || code === 'ETIMEDOUT') {
    return new TransportError('timed out', 'timeout', true);
  }
  if (NOT_SENT_CODES.has(code)) return new TransportError(`network: ${code}`, 'network', false);
  if (code === 'ERR_CANCELED') return new TransportError('aborted', 'network', true);
  const request = ax?.request as { writableFinished?: boolean } | undefined;
  const sent = code !== 'ECONNRESET' || request?.writableFinished === true;
  // The message only: axios errors carry the URL, and TIM's URL carries the UserSig.
  return new TransportError(`network: ${code || (err as Error)?.message || 'unknown'}`, 'network', sent);
}
