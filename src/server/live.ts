// Live news across processes: on PostgreSQL every process LISTENs on two channels and re-emits what other
// processes announce — new notices (so a user's stream updates whichever process serves it) and grid changes
// (so every process rebuilds its point → grid index). On PGlite there is one process.
import pg from 'pg';
import { notificationBus } from '../services/notify.js';
import { gridBus, invalidateGridIndex } from '../services/grids/lookup.js';

const CHANNEL = 'gridwork_notify';
const GRIDS_CHANNEL = 'gridwork_grids';

export async function bridgeNotifications(databaseUrl: string, log: { error: (o: object, m: string) => void }): Promise<() => Promise<void>> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const sender = new pg.Pool({ connectionString: databaseUrl, max: 1 });
  await listener.connect();
  await listener.query(`LISTEN ${CHANNEL}`);
  await listener.query(`LISTEN ${GRIDS_CHANNEL}`);
  const origin = `${process.pid}-${Math.random().toString(36).slice(2)}`;
  listener.on('notification', (msg) => {
    if (!msg.payload) return;
    const { from, ids } = JSON.parse(msg.payload) as { from: string; ids?: number[] };
    if (from === origin) return;
    if (msg.channel === GRIDS_CHANNEL) invalidateGridIndex({ remote: true });
    else notificationBus.emit('notify', ids ?? [], true);
  });
  const gridsChanged = () => {
    sender.query('SELECT pg_notify($1, $2)', [GRIDS_CHANNEL, JSON.stringify({ from: origin })]).catch((err) => log.error({ err }, 'grid change bridge failed'));
  };
  gridBus.on('changed', gridsChanged);
  const forward = (ids: number[], remote?: boolean) => {
    if (remote) return;
    sender.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ from: origin, ids })]).catch((err) => log.error({ err }, 'notify bridge failed'));
  };
  notificationBus.on('notify', forward);
  return async () => {
    notificationBus.off('notify', forward);
    gridBus.off('changed', gridsChanged);
    await listener.end();
    await sender.end();
  };
}
