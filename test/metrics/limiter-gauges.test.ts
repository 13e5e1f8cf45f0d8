import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from '../../src/metrics/registry.js';
import { registerLimiterMetrics } from '../../src/metrics/limiter-gauges.js';

describe('limiter metrics', () => {
  it('counts the TIM slots given up and the late answers, as the gate reports them at each scrape', async () => {
    const registry = createMetricsRegistry({ processMetrics: false });
    const gate = { slotsGivenUp: 0, lateAnswers: 0 };
    registerLimiterMetrics(registry, gate);
    registerLimiterMetrics(registry, gate); // a second registration (npm start) is harmless
    const value = async (name: string) => (await registry.getSingleMetricAsString(name)).match(/total (\d+)/)![1];
    expect(await value('friend_add_tim_slots_given_up_total')).toBe('0');
    expect(await value('friend_add_tim_late_answers_total')).toBe('0');
    gate.slotsGivenUp = 3;
    gate.lateAnswers = 7;
    expect(await value('friend_add_tim_slots_given_up_total')).toBe('3');
    expect(await value('friend_add_tim_late_answers_total')).toBe('7');
    gate.slotsGivenUp = 5;
    expect(await value('friend_add_tim_slots_given_up_total')).toBe('5');
    expect(await value('friend_add_tim_late_answers_total')).toBe('7');
  });
});
