// Sends a streaming .xlsx export (src/services/xlsx-export.ts): the headers go out once the export is counted and
// allowed, then the workbook streams; a failure mid-stream ends the response (the client sees a broken download).
import { PassThrough } from 'node:stream';
import type { FastifyReply } from 'fastify';
import { XLSX_TYPE, type XlsxExport } from '../services/xlsx-export.js';

export function sendXlsx(reply: FastifyReply, x: XlsxExport) {
  const out = new PassThrough();
  x.write(out).catch((err: unknown) => {
    reply.log.error({ err }, 'xlsx export failed while streaming');
    out.destroy(err instanceof Error ? err : new Error(String(err)));
  });
  return reply
    .type(XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${x.asciiName}"; filename*=UTF-8''${encodeURIComponent(x.filename)}`)
    .header('x-total-count', String(x.total))
    .send(out);
}
