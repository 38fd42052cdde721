// React view of the running patrol (src/offline/patrol.ts): the state and a ticking duration.
import { useEffect, useState, useSyncExternalStore } from 'react';
import { patrolSnapshot, subscribePatrol } from '../../offline/patrol';

export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export function usePatrolState() {
  const state = useSyncExternalStore(subscribePatrol, patrolSnapshot, patrolSnapshot);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!state) return;
    const id = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(id);
  }, [state]);
  return {
    state,
    active: !!state,
    duration: state ? formatDuration(now - Date.parse(state.startedAt)) : '',
  };
}
