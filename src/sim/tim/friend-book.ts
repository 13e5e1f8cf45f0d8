import { ITEM_INFO, TIM, infoFor } from './codes.js';
import type { CheckedItem } from './request-body.js';
import { accountBehaviour, targetBehaviour, type TargetBehaviour } from './target-names.js';

/** One AddFriendItem's fate: a ResultItem, an Invalid_Account entry, or nothing at all. */
export type ItemResult =
  | { kind: 'item'; toAccount: string; code: number; info: string }
  | { kind: 'invalid'; toAccount: string }
  | { kind: 'omit'; toAccount: string };

/** What one call gets: refused whole (`code` non-zero), never answered, or answered per item. */
export interface CallOutcome {
  code: number;
  items: ItemResult[];
  hang: boolean;
  /** Latency added by `slow<MS>_` targets (the largest of them). */
  extraLatencyMs: number;
}

type Relation = 'friend' | 'pending';

/** TIM refuses a call in which more than this many targets need confirmation (30517). */
const MAX_CONFIRM_PER_CALL = 100;

/**
 * The simulator's relationship store: who is friends with or pending on whom, and how often each
 * (From_Account, To_Account) pair has been called, for the names that change after N calls.
 */
export class FriendBook {
  /**
   * From_Account → To_Account → relation. One flat map of every pair rehashes in one go each time
   * it doubles: at 2^20 pairs that stalled the event loop for ~60 ms, and every call arriving
   * meanwhile was stamped that late, as TIM (whose gateway is not busy with its store) never would.
   */
  private readonly relations = new Map<string, Map<string, Relation>>();
  private readonly callsByPair = new Map<string, number>();
  private readonly struckAccounts = new Set<string>();

  /** Serves one call whose request passed every check. Mutates the store. */
  serve(fromAccount: string, items: readonly CheckedItem[]): CallOutcome {
    const account = accountBehaviour(fromAccount);
    if (account === 'banned') return refused(TIM.FORBIDDEN);
    if (account === 'strikeall' && !this.struckAccounts.has(fromAccount)) {
      this.struckAccounts.add(fromAccount);
      return refused(TIM.STRIKE);
    }
    const behaviours = items.map((item) => targetBehaviour(item.toAccount));
    if (behaviours.some((b) => b.kind === 'hang')) return { code: TIM.OK, items: [], hang: true, extraLatencyMs: 0 };
    const confirms = behaviours.filter((b) => b.kind === 'confirm').length;
    if (confirms > MAX_CONFIRM_PER_CALL) return refused(TIM.TOO_MANY_CONFIRM);
    let extraLatencyMs = 0;
    const results = items.map((item, i): ItemResult => {
      const behaviour = behaviours[i]!;
      if (behaviour.kind === 'slow') extraLatencyMs = Math.max(extraLatencyMs, behaviour.ms);
      if (item.code !== TIM.OK) return { kind: 'item', toAccount: item.toAccount, code: item.code, info: item.info };
      return this.decide(fromAccount, item.toAccount, behaviour);
    });
    return { code: TIM.OK, items: results, hang: false, extraLatencyMs };
  }

  /** The peer approved a pending request: the two are friends now (a callback follows). */
  approve(from: string, to: string): void {
    if (this.relations.get(from)?.get(to) === 'pending') this.relate(from, to, 'friend');
  }

  clear(): void {
    this.relations.clear();
    this.callsByPair.clear();
    this.struckAccounts.clear();
  }

  private decide(from: string, to: string, behaviour: TargetBehaviour): ItemResult {
    if (behaviour.kind === 'noacct') return { kind: 'invalid', toAccount: to };
    const relation = this.relations.get(from)?.get(to);
    if (relation === 'friend') return item(to, TIM.ALREADY_FRIENDS);
    if (relation === 'pending') return item(to, TIM.PENDING);
    switch (behaviour.kind) {
      case 'pending':
      case 'confirm':
        this.relate(from, to, 'pending');
        return item(to, TIM.PENDING);
      case 'friend':
        this.relate(from, to, 'friend');
        return item(to, TIM.ALREADY_FRIENDS);
      case 'exist':
        this.relate(from, to, 'friend');
        return { kind: 'item', toAccount: to, code: TIM.UNPACK, info: ITEM_INFO.FRIEND_EXIST };
      case 'black':
        return item(to, TIM.IN_BLACKLIST);
      case 'deny':
        return item(to, TIM.NOT_ALLOWED);
      case 'unknown':
        return item(to, TIM.UNKNOWN);
      case 'missing':
        if (this.countCall(from, to) === 1) return { kind: 'omit', toAccount: to };
        break;
      case 'flaky':
        if (this.countCall(from, to) <= behaviour.times) return item(to, behaviour.code);
        break;
    }
    this.relate(from, to, 'friend');
    return item(to, TIM.OK);
  }

  private relate(from: string, to: string, relation: Relation): void {
    let book = this.relations.get(from);
    if (!book) {
      book = new Map();
      this.relations.set(from, book);
    }
    book.set(to, relation);
  }

  private countCall(from: string, to: string): number {
    const pair = `${from}\n${to}`;
    const calls = (this.callsByPair.get(pair) ?? 0) + 1;
    this.callsByPair.set(pair, calls);
    return calls;
  }
}

function item(toAccount: string, code: number): ItemResult {
  return { kind: 'item', toAccount, code, info: code === TIM.OK ? '' : infoFor(code) };
}

function refused(code: number): CallOutcome {
  return { code, items: [], hang: false, extraLatencyMs: 0 };
}
