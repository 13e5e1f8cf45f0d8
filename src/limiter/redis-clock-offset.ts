/**
 * Redis's clock minus this process's, learned from the round trips that bring Redis `TIME` back
 * (NTP's rule: trust the sample with the shortest round trip). A single midpoint estimate is
 * wrong by up to half its round trip, and a first call that runs cold code can take tens of ms:
 * a slot woken that much off would be sent late or early while looking on time.
 */
export class RedisClockOffset {
  private bestRttMs = Infinity;
  private bestAt = 0;
  private offsetMs = 0;

  /** @param ageingMsPerMs how fast an old best sample loses its edge, so drift is followed */
  constructor(private readonly ageingMsPerMs = 0.0001) {}

  /** One round trip: sent and received on our clock, `redisNow` read by Redis in between. */
  sample(sentAt: number, receivedAt: number, redisNow: number): void {
    const rtt = receivedAt - sentAt;
    const agedBest = this.bestRttMs + (receivedAt - this.bestAt) * this.ageingMsPerMs;
    if (rtt > agedBest) return;
    this.bestRttMs = rtt;
    this.bestAt = receivedAt;
    this.offsetMs = redisNow - (sentAt + receivedAt) / 2;
  }

  /**
   * How far off the offset may be, ms: half the best round trip (Redis read its clock somewhere
   * inside it), plus the drift allowed since. Before any sample, `unknownMs`.
   */
  uncertaintyMs(nowMs: number, unknownMs: number): number {
    if (this.bestRttMs === Infinity) return unknownMs;
    return Math.min(unknownMs, this.bestRttMs / 2 + (nowMs - this.bestAt) * this.ageingMsPerMs);
  }

  /** A time on our clock, on Redis's. */
  toRedis(localMs: number): number {
    return localMs + this.offsetMs;
  }

  /** A time on Redis's clock, on ours. */
  toLocal(redisMs: number): number {
    return redisMs - this.offsetMs;
  }
}
