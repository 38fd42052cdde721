// What every bench needs to say its last line honestly: percentiles, the load average at the time (the machine is
// shared, so a figure without it cannot be judged), and each target of issue 12 with whether it was met.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

export const log = (...a: unknown[]) => console.log(...a);
export const secs = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
export const r1 = (x: number) => Math.round(x * 10) / 10;

/** The p-th percentile (0–1) by nearest rank; NaN for no samples. */
export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? NaN;
}

/** The 1, 5 and 15 minute load averages, as /proc/loadavg gives them. */
export function loadavg(): string {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
}

export interface Target {
  value: number | null;
  target: string;
  met: boolean;
}

/** A target as the issue states it: `value` must be below (`<`), at least (`>=`) or equal to (`=`) `bound`. */
export function target(value: number | null, op: '<' | '>=' | '=', bound: number): Target {
  const met = value != null && Number.isFinite(value) && (op === '<' ? value < bound : op === '>=' ? value >= bound : value === bound);
  return { value, target: `${op} ${bound}`, met };
}

/** The targets block of a last line: each target, and whether all were met. */
export function targets(ts: Record<string, Target>): { targets: Record<string, Target>; targets_met: boolean } {
  return { targets: ts, targets_met: Object.values(ts).every((t) => t.met) };
}

/** A TCP port free on the loopback now. */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}
