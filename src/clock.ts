// The one clock the platform reads business time from (deadlines, sweeps, the demo seed, audit times).
// Production uses the system clock; tests and scripts pin or move it, so nothing depends on the real date.
// (Cache lifetimes and timers may still use Date.now(): they are about this process, not about the office.)

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `at` until moved: for tests and scripted runs. */
export function fixedClock(at: Date | string): Clock & { set(at: Date | string): void; advance(ms: number): void } {
  let t = new Date(at).getTime();
  if (!Number.isFinite(t)) throw new RangeError(`not an instant: ${String(at)}`);
  return {
    now: () => new Date(t),
    set(next) {
      t = new Date(next).getTime();
    },
    advance(ms) {
      t += ms;
    },
  };
}
