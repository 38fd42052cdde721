// /api/photos: upload one photo per request; read a photo or its thumbnail by content hash.
import { createReadStream, existsSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Photo } from '../../shared/api.js';
import { DomainError } from '../../domain/errors.js';
import { photoPaths, PHOTO_MAX_BYTES, readablePhoto, storePhoto } from '../../services/photos.js';
import { actorOf, ANY_ROLE } from '../auth-plugin.js';
import { presentPhoto } from '../presenters.js';
import type { ServerDeps } from '../deps.js';

const HashParams = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/) });

export async function photoRoutes(app: FastifyInstance, deps: ServerDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post(
    '/api/photos',
    {
      config: { roles: ANY_ROLE, fileLimit: PHOTO_MAX_BYTES }, schema: {
        tags: ['photos'],
        summary: 'Upload one photo (multipart field "file"; JPEG, PNG or WebP, at most 10 MB and 40 megapixels)',
        consumes: ['multipart/form-data'],
        response: { 201: Photo },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      if (!req.isMultipart()) throw new DomainError('photo_empty');
      const file = await req.file({ limits: { fileSize: PHOTO_MAX_BYTES, files: 1 } });
      if (!file) throw new DomainError('photo_empty');
      const bytes = await file.toBuffer();
      if (file.file.truncated) throw new DomainError('photo_too_large', { limitMb: PHOTO_MAX_BYTES / 1024 / 1024 });
      const stored = await storePhoto({ db: deps.db, actor, ip: req.ip, now: deps.clock.now() }, deps.config.dataDir, bytes);
      return reply.status(201).send(presentPhoto(stored));
    },
  );
  for (const variant of ['original', 'thumb'] as const) {
    r.get(
      variant === 'original' ? '/api/photos/:hash' : '/api/photos/:hash/thumb',
      { config: { roles: ANY_ROLE }, schema: { tags: ['photos'], summary: variant === 'original' ? 'A photo, for its uploader and those who may read a case holding it' : 'A photo thumbnail (WebP), for the same readers', params: HashParams } },
      async (req, reply) => {
        // Out of the reader's reach is the same 404 as a case out of scope: a hash reveals nothing.
        const actor = actorOf(req);
        const meta = await readablePhoto(deps.db, req.params.hash, actor);
        const file = photoPaths(deps.config.dataDir, req.params.hash)[variant];
        if (!meta || !existsSync(file)) throw new DomainError('not_found');
        reply.header('cache-control', 'private, max-age=31536000, immutable');
        reply.type(variant === 'thumb' ? 'image/webp' : meta.mime);
        return reply.send(createReadStream(file));
      },
    );
  }
}
