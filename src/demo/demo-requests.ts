/** The sample work the demo submits: names that make the simulators answer every way. */

/** 2,500 TIM targets: mostly added, with a spread of the other answers and a few retries. */
export function demoTimTargets(): { toAccount: string; addSource: string; addWording?: string }[] {
  return Array.from({ length: 2500 }, (_, i) => {
    const kind = i % 100 === 7 ? 'pending' : i % 100 === 13 ? 'friend' : i % 250 === 21 ? 'black' : i % 500 === 42 ? 'transient1_' : 'ok';
    return { toAccount: `${kind}user${i}`, addSource: 'AddSource_Type_Demo', addWording: 'hello from the demo' };
  });
}

export const DEMO_GEWE_NEW = 'wx_demo_new';
export const DEMO_GEWE_SEASONED = 'wx_demo_seasoned';

/** Four adds each for a new and a seasoned GeWe account. */
export function demoGeweItems() {
  const v3s = ['v3_ok_a', 'v3_ok_b', 'v3_final_c', 'v3_ok_d'];
  return [DEMO_GEWE_NEW, DEMO_GEWE_SEASONED].flatMap((appId) =>
    v3s.map((v3) => ({ appId, scene: 3, option: 2, v3: `${v3}_${appId}`, v4: `v4_${v3}`, content: 'hi, met you at the demo' })),
  );
}
