// Mounted once in the app: sends queued reports when the user is signed in and the connection is there
// (at start, on the `online` event, and every 20 s while something waits), tells the user what was sent, and
// registers the service worker that keeps the app shell for offline starts.
import { useEffect, useSyncExternalStore } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showSuccess } from '../notify';
import { useSession } from '../session';
import { loadOutbox, onSent, snapshot, subscribe, syncOutbox, type OutboxItem } from './outbox';
import { resumePatrol } from './patrol';
import { registerServiceWorker } from './sw-register';
import { caseKeys, taskKeys } from '../queryKeys';

const RETRY_MS = 20_000;

export function useOutbox(userId?: number): OutboxItem[] {
  const all = useSyncExternalStore(subscribe, snapshot, snapshot);
  return userId == null ? all : all.filter((i) => i.userId === userId);
}

export function useOnline(): boolean {
  return useSyncExternalStore(
    (l) => {
      window.addEventListener('online', l);
      window.addEventListener('offline', l);
      return () => {
        window.removeEventListener('online', l);
        window.removeEventListener('offline', l);
      };
    },
    () => navigator.onLine,
    () => true,
  );
}

export function OutboxSync() {
  const { t } = useTranslation();
  const { user } = useSession();
  const client = useQueryClient();
  const userId = user && !user.mustChangePassword ? user.id : null;
  const waiting = useOutbox(userId ?? undefined).filter((i) => i.status !== 'refused').length;

  useEffect(() => {
    void loadOutbox();
    registerServiceWorker();
  }, []);

  useEffect(
    () =>
      onSent((s) => {
        showSuccess(t('outbox.syncedOne', { number: s.number }));
        void client.invalidateQueries({ queryKey: caseKeys.all });
        void client.invalidateQueries({ queryKey: taskKeys.all });
      }),
    [client, t],
  );

  useEffect(() => {
    if (userId != null) void resumePatrol(userId);
  }, [userId]);

  useEffect(() => {
    if (userId == null) return;
    const sync = () => {
      if (navigator.onLine) void syncOutbox(userId);
    };
    sync();
    window.addEventListener('online', sync);
    const timer = waiting > 0 ? window.setInterval(sync, RETRY_MS) : undefined;
    return () => {
      window.removeEventListener('online', sync);
      if (timer) window.clearInterval(timer);
    };
  }, [userId, waiting]);

  return null;
}
