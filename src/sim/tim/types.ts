/** What the TIM simulator records and how it is driven. */

export const FAULT_KINDS = ['502html', 'reset', 'truncated', 'slowbody', 'hang', '60007', '70001', '30517'] as const;

/**
 * A fault injected into the next calls, whatever their From_Account.
 * - `502html`: HTTP 502 with an HTML page (a gateway in trouble); the call is not processed.
 * - `reset`: the socket is destroyed without an answer; not processed.
 * - `truncated`: the call IS processed, and the answer is cut to half its JSON (status 200).
 * - `slowbody`: the call IS processed; headers and half the body go at once, the rest after `ms`.
 * - `hang`: no answer ever; the socket stays open until the client gives up. Not processed.
 * - `60007`, `70001`, `30517`: refused whole with that code; not processed.
 */
export type FaultKind = (typeof FAULT_KINDS)[number];

/** One call that reached `POST /v4/sns/friend_add`. */
export interface Arrival {
  /** When the request arrived: ms since the epoch, sub-ms precision, monotonic in the sim. */
  at: number;
  /** From_Account, or '' when the body had none. */
  fromAccount: string;
  /** Targets in the call (AddFriendItem length; 0 when it was not an array). */
  count: number;
  /** The `sdkappid` query parameter as sent ('' when missing). */
  sdkAppId: string;
  /** The top-level ErrorCode, as a string, when the call was refused whole. */
  rejected?: string;
  /** The injected fault that met this call. */
  fault?: FaultKind;
}

/**
 * A broken promise seen at the provider.
 * - overlap: a call arrived while another of the same From_Account was still being worked on.
 * - rate: a call arrived when its SDKAppID had already had `ratePerSec` calls in the last 1000 ms.
 */
export interface Violation {
  kind: 'overlap' | 'rate';
  at: number;
  fromAccount: string;
}

export interface TimSimulatorOptions {
  /** Port to listen on; 0 (the default) picks a free one. */
  port?: number;
  /** Default `127.0.0.1`. */
  host?: string;
  /** The app's SDKAppID; calls naming another are refused. */
  sdkAppId: number;
  /** The key UserSigs must be signed with. */
  secretKey: string;
  /** The administrator identifier calls must use. Default `administrator`. */
  admin?: string;
  /** Calls per SDKAppID in any sliding 1000 ms window. Default 100. */
  ratePerSec?: number;
  /** Time taken to answer each call, in ms. Default 2. */
  latencyMs?: number;
  /** Whether to keep the arrival log (counters are kept either way). Default true. */
  keepLog?: boolean;
  /**
   * Stamp arrivals in a thread of their own (shared/arrival-gateway.ts), so that the simulator's
   * own GC and work cannot delay them, as they could not delay TIM's. For a simulator that shares
   * a busy machine with the workers (the bench). Default false.
   */
  arrivalGateway?: boolean;
}

export interface TimSimStats {
  /** Calls that reached the route. */
  calls: number;
  /** Targets in those calls. */
  targets: number;
  /** Calls refused whole, by top-level ErrorCode. */
  rejected: Record<string, number>;
  /** Calls met by an injected fault, by kind. */
  faults: Record<string, number>;
  /** Per-item ResultCodes given, by code; `invalid` counts Invalid_Account entries. */
  items: Record<string, number>;
  violations: { overlap: number; rate: number };
  /** Most arrivals of one SDKAppID seen in one sliding 1000 ms window. */
  maxInWindow: number;
  /** Calls being worked on right now (hanging ones included). */
  inFlight: number;
  /** Injected faults not used yet. */
  faultsPending: number;
}

export interface TimSimulator {
  /** The origin, e.g. `http://127.0.0.1:12345`. */
  readonly url: string;
  arrivals(): readonly Arrival[];
  violations(): readonly Violation[];
  /** Makes the next `count` calls meet `kind`; `ms` is the body delay for `slowbody` (default 1000). */
  injectFault(kind: FaultKind, count?: number, ms?: number): void;
  /** Clears the logs, the friendships, the per-name counters, the rate windows and pending faults. */
  reset(): void;
  /** Signs with another key from now on, as a key rotated in TIM's console: old UserSigs answer 70009. */
  rotateKey(secretKey: string): void;
  stats(): TimSimStats;
  /** Stops listening and drops every open connection, hanging calls included. */
  close(): Promise<void>;
}
