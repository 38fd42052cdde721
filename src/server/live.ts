// Live notices across processes: on PostgreSQL every process LISTENs on one channel and re-emits what other
// processes announce, so a user's stream updates whichever process serves it. On PGlite there is one process.
import pg from 'pg';
import { notificationBus } from '../services/notify.js';

const CHANNEL = 'gridwork_notify';

export async function bridgeNotifications(databaseUrl: string, log: { error: (o: object, m: string) => void }): Promise<() => Promise<void>> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const sender = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
  const origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  listener.on('notification', (msg) => {
    if (!msg.payload) return;
    const { from, ids } = JSON.parse(msg.payload) as { from: string; ids: number[] };
    if (from !== origin) notificationBus.emit('notify', ids, true);
  });
  const forward = (ids: number[], remote?: boolean) => {
    if (remote) return;
    sender.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ from: origin, ids })]).catch((err) => log.error({ err }, 'notify bridge failed'));
  };
  notificationBus.on('notify', forward);
  return async () => {
    notificationBus.off('notify', forward);
    await listener.end();
    await sender.end();
  };
}
