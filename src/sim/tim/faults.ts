import type { ServerResponse } from 'node:http';
import { sendText } from '../shared/send-json.js';
import type { TimerSet } from '../shared/timers.js';
import type { FaultKind } from './types.js';

/** Body delay of `slowbody` when none is given. */
export const DEFAULT_SLOWBODY_MS = 1000;

export interface PendingFault {
  kind: FaultKind;
  ms: number;
}

/** Faults waiting for the next calls, first injected first used. */
export class FaultQueue {
  private readonly queue: { kind: FaultKind; left: number; ms: number }[] = [];

  inject(kind: FaultKind, count = 1, ms = DEFAULT_SLOWBODY_MS): void {
    if (count > 0) this.queue.push({ kind, left: count, ms });
  }

  /** The fault the next call meets, if any; uses it up. */
  take(): PendingFault | undefined {
    const head = this.queue[0];
    if (!head) return undefined;
    if (--head.left <= 0) this.queue.shift();
    return { kind: head.kind, ms: head.ms };
  }

  get pending(): number {
    return this.queue.reduce((sum, f) => sum + f.left, 0);
  }

  clear(): void {
    this.queue.length = 0;
  }
}

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>stgw</center>\r\n</body>\r\n</html>\r\n';

export function sendBadGateway(res: ServerResponse): void {
  sendText(res, 502, BAD_GATEWAY_PAGE, 'text/html');
}

/** Status 200 and a complete HTTP message whose body is the first half of the JSON. */
export function sendTruncated(res: ServerResponse, json: string): void {
  sendText(res, 200, json.slice(0, Math.floor(json.length / 2)), 'application/json; charset=utf-8');
}

/** Headers and half the body now, the rest after `ms`: a body that arrives slowly. */
export function sendSlowBody(res: ServerResponse, json: string, ms: number, timers: TimerSet, done: () => void): void {
  if (res.writableEnded || res.destroyed) return done();
  const body = Buffer.from(json);
  const half = Math.floor(body.length / 2);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
  res.write(body.subarray(0, half));
  timers.later(ms, () => {
    if (!res.destroyed) res.end(body.subarray(half));
    done();
  });
}
