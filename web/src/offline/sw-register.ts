// Registers /sw.js (the app-shell cache, web/public/sw.js) in production builds served over http(s).
import { api } from '../api';

export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  if (!window.isSecureContext) return;
  // The worker keeps the session probe's last answer only for requests it sees. On the first visit it takes control
  // after the login (install caches the whole release first), so the probe is asked once more through it: an offline
  // start right after the first login still knows who is signed in.
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    void api.session().catch(() => undefined);
  });
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => console.warn('service worker not registered', err));
}
