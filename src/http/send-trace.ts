import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { preciseNow } from '../lib/precise-now.js';

/**
 * Whether any byte of one request may have left this process. A GeWe add is sent again only
 * when this says no: a second add that reaches the person is what WeChat's risk control punishes.
 *
 * The proof is the socket's own count of bytes handed to the OS, read when the socket was given
 * to this request and again at the failure. A keep-alive socket arrives with the bytes of earlier
 * requests already counted, hence the count at assignment rather than zero. The request's bytes
 * are written only after the assignment (node:http flushes them after its 'socket' event), and a
 * socket still connecting (refused, DNS failure) buffers them in this process and hands none over.
 */
export class SendTrace {
  private socket: Socket | undefined;
  private handedOverAtAssignment = 0;

  /** Told that the request got its socket (fresh or reused). */
  assigned(socket: Socket): void {
    this.socket = socket;
    this.handedOverAtAssignment = handedOver(socket);
  }

  /** False only when the request provably never left: no socket yet, or not one byte handed over since. */
  mayHaveLeft(): boolean {
    if (!this.socket) return false;
    return !(handedOver(this.socket) <= this.handedOverAtAssignment);
  }

  /**
   * Node's own http/https, as axios would pick them, with this trace attached, `onSent` told the
   * moment the request was handed to the socket whole ('finish'): a rate permit counts from it,
   * and `onAnswered` the moment the answer's head was parsed, before axios reads its body.
   */
  transport({ onSent, onAnswered }: { onSent?: (atMs: number) => void; onAnswered?: (atMs: number) => void } = {}) {
    return {
      request: (options: http.RequestOptions, onResponse: (res: http.IncomingMessage) => void): http.ClientRequest => {
        const answered = onAnswered
          ? (res: http.IncomingMessage) => {
              onAnswered(preciseNow());
              onResponse(res);
            }
          : onResponse;
        const request = (options.protocol === 'https:' ? https : http).request(options, answered);
        request.once('socket', (socket: Socket) => this.assigned(socket));
        if (onSent) request.once('finish', () => onSent(preciseNow()));
        return request;
      },
    };
  }
}

/**
 * Bytes this socket has handed to the OS (libuv's write queue included): Node's `_bytesDispatched`.
 * Where it is missing, `bytesWritten`, which also counts bytes still buffered here, so the answer
 * errs towards "may have left"; with neither, NaN, which never compares as "nothing left".
 */
function handedOver(socket: Socket): number {
  const dispatched = (socket as unknown as { _bytesDispatched?: unknown })._bytesDispatched;
  if (typeof dispatched === 'number') return dispatched;
  return typeof socket.bytesWritten === 'number' ? socket.bytesWritten : Number.NaN;
}
