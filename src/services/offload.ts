// Heavy geometry off the event loop: a small pool of worker threads (piscina) with a time limit per task, so one
// administrator validating a 200k-vertex import does not stop /api/health or anyone else from being answered.
// A task that runs past its limit is stopped (its thread is terminated) and answered with a message; a full
// queue answers "busy"; closing the server destroys the pool instead of waiting for its work.
import os from 'node:os';
import { Piscina } from 'piscina';
import { DomainError, type DomainErrorCode } from '../domain/errors.js';
import type { GeometryTasks } from '../workers/geometry-tasks.js';

/**
 * The longest a geometry task may run: a 5000-feature import of real boundaries checks in well under this.
 * GEOMETRY_TIME_LIMIT_MS changes it (read at each task).
 */
export function geometryTimeLimitMs(): number {
  return Number(process.env.GEOMETRY_TIME_LIMIT_MS ?? 60_000);
}
/** Tasks waiting for a thread beyond the running ones; more is refused as busy. */
const MAX_QUEUE = 8;

let pool: Piscina | null = null;

function thePool(): Piscina {
  pool ??= new Piscina({
    filename: new URL('../workers/geometry-worker.mjs', import.meta.url).href,
    // One core stays with the event loop.
    minThreads: 0,
    maxThreads: Math.max(1, Math.min(4, os.availableParallelism() - 1)),
    idleTimeout: 30_000,
    maxQueue: MAX_QUEUE,
  });
  return pool;
}

export async function offload<K extends keyof GeometryTasks>(
  name: K,
  args: Parameters<GeometryTasks[K]>,
  timeLimitMs = geometryTimeLimitMs(),
): Promise<ReturnType<GeometryTasks[K]>> {
  const p = thePool();
  if (p.queueSize >= MAX_QUEUE) throw new DomainError('work_busy');
  const signal = AbortSignal.timeout(timeLimitMs);
  try {
    const answer = (await p.run({ name, args }, { signal })) as { value?: ReturnType<GeometryTasks[K]>; domainError?: { code: DomainErrorCode; params: Record<string, string | number> } };
    if (answer.domainError) throw new DomainError(answer.domainError.code, answer.domainError.params);
    return answer.value as ReturnType<GeometryTasks[K]>;
  } catch (e) {
    if (e instanceof DomainError) throw e;
    if (signal.aborted) throw new DomainError('work_timed_out', { seconds: Math.round(timeLimitMs / 1000) });
    if (e instanceof Error && /queue is at limit/i.test(e.message)) throw new DomainError('work_busy');
    throw e;
  }
}

/** Stops the pool's threads (running work is dropped): the server's close does not wait on geometry. */
export async function closeOffload(): Promise<void> {
  const p = pool;
  pool = null;
  if (p) await p.destroy();
}
