import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../src/metrics/registry.js';
import { registerLimiterMetrics } from '../../src/metrics/limiter-gauges.js';

describe('limiter metrics', () => {
  it('counts the TIM slots given up, as the gate reports them at each scrape', async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    const gate = { slotsGivenUp: 0 };
    registerLimiterMetrics(registry, gate);
    registerLimiterMetrics(registry, gate); // a second registration (npm start) is harmless
    const value = async () => (await registry.getSingleMetricAsString('friend_add_tim_slots_given_up_total')).match(/total (\d+)/)![1];
    expect(await value()).toBe('0');
    gate.slotsGivenUp = 3;
    expect(await value()).toBe('3');
    gate.slotsGivenUp = 5;
    expect(await value()).toBe('5');
  });
});
