// Scene photos for the demo street's most recent reports, so a first look at a case shows what a field report
// looks like. Drawn with sharp (no files shipped), stored through the photo service as their reporters, and attached
// to the cases as the photos of their reports.
import sharp from 'sharp';
import type { Db } from '../data/db.js';
import type { Role } from '../shared/vocabulary.js';
import { storePhoto } from '../services/photos.js';

/** A 640×480 "scene": sky, ground, a building block and a heap in the category's colour. */
function scene(n: number): Promise<Buffer> {
  const hues = [28, 200, 95, 340, 48, 260, 160, 10];
  const h = hues[n % hues.length]!;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="480">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9cc9f0"/><stop offset="1" stop-color="#e8f2fb"/></linearGradient></defs>
    <rect width="640" height="480" fill="url(#s)"/>
    <rect y="300" width="640" height="180" fill="#8d8d86"/>
    <rect x="${40 + (n * 37) % 200}" y="120" width="220" height="180" fill="#c9b9a0"/>
    ${[0, 1, 2, 3].map((i) => `<rect x="${60 + (n * 37) % 200 + i * 50}" y="150" width="30" height="40" fill="#5b7290"/>`).join('')}
    <rect x="380" y="${170 + (n % 3) * 10}" width="200" height="130" fill="#b7aa96"/>
    <ellipse cx="${300 + (n * 53) % 200}" cy="360" rx="${90 + (n % 4) * 15}" ry="46" fill="hsl(${h},55%,45%)"/>
    <ellipse cx="${270 + (n * 53) % 200}" cy="340" rx="40" ry="24" fill="hsl(${h},60%,60%)"/>
    <rect x="0" y="440" width="640" height="40" fill="rgba(0,0,0,0.35)"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 78 }).toBuffer();
}

/** Adds photos to the `count` most recent reports that have none; returns how many cases got one. */
export async function addDemoPhotos(db: Db, dataDir: string, now: Date, count = 8): Promise<number> {
  const cases = await db
    .selectFrom('cases')
    .innerJoin('users', 'users.id', 'cases.reporter_id')
    .select(['cases.id', 'cases.photos', 'users.id as userId', 'users.role', 'users.scope_paths', 'users.department_id'])
    .where('cases.master_id', 'is', null)
    .orderBy('cases.reported_at', 'desc')
    .limit(count)
    .execute();
  let n = 0;
  for (const c of cases) {
    if (c.photos.length) continue;
    const actor = { id: c.userId, role: c.role as Role, scopePaths: c.scope_paths, departmentId: c.department_id };
    const photos: string[] = [];
    for (let k = 0; k < 1 + (n % 2); k++) photos.push((await storePhoto({ db, actor, ip: null, now }, dataDir, await scene(n * 2 + k))).hash);
    // the case's own photos (the report's); its events are append-only and keep what the seed wrote
    await db.updateTable('cases').set({ photos: JSON.stringify(photos) }).where('id', '=', c.id).execute();
    n++;
  }
  return n;
}
