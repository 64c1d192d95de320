import { etaMs, RateWindow } from '../../../../infra/operator/cli/progress-estimate';

describe('RateWindow', () => {
  it('has no rate until two samples span time, then units per second from the oldest to the newest', () => {
    const w = new RateWindow(60_000);
    expect(w.rate()).toBeUndefined();
    w.add({ at: 1000, done: 0 });
    w.add({ at: 1000, done: 5 });
    expect(w.rate()).toBeUndefined();
    w.add({ at: 5000, done: 400 });
    expect(w.rate()).toBe(100);
  });

  it('forgets samples older than the window, so a stall shows as a falling rate and a speed-up as a rising one', () => {
    const w = new RateWindow(10_000);
    w.add({ at: 0, done: 0 });
    w.add({ at: 10_000, done: 1000 }); // 100/s
    w.add({ at: 20_000, done: 1000 }); // stalled for 10 s: the window is now [10 s, 20 s]
    expect(w.rate()).toBe(0);
    w.add({ at: 25_000, done: 3000 }); // the base is the newest sample at least 10 s old (10 s): 2000 in 15 s
    expect(w.rate()).toBeCloseTo(133.33, 2);
    w.add({ at: 31_000, done: 5400 }); // base 20 s: 4400 in 11 s
    expect(w.rate()).toBe(400);
  });

  it('counts work that went back (a recount) as none, not as negative', () => {
    const w = new RateWindow();
    w.add({ at: 0, done: 10 });
    w.add({ at: 1000, done: 4 });
    expect(w.rate()).toBe(0);
  });
});

describe('etaMs', () => {
  it('is the remaining work at the rate; 0 when nothing remains; none without a moving rate', () => {
    expect(etaMs(900, 100)).toBe(9000);
    expect(etaMs(0, undefined)).toBe(0);
    expect(etaMs(-3, 0)).toBe(0);
    expect(etaMs(900, 0)).toBeUndefined();
    expect(etaMs(900, undefined)).toBeUndefined();
  });
});
