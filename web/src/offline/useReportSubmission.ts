// A report form's data and sending, shared by the desktop form (事件上报) and the phone's (上报): the clientKey made when the form
// opened, photos still held as blobs uploaded first, the report sent, and the caches told. When the connection is
// missing (or the failure is one worth retrying, see `isTransient`) the report goes to the offline outbox with
// what is uploaded so far and what is not, and is sent once when the connection returns.
import { useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { CaseDetail, ReportInput } from '../../../src/shared/api';
import { api, ApiError } from '../api';
import { categoryTree } from '../components/categoryTree';
import { gridAt } from '../map/geo';
import { useCategories, useGrids } from '../queries';
import { caseKeys, taskKeys } from '../queryKeys';
import { useMe } from '../session';
import { isTransient, newClientKey, queueReport, type QueuedPhoto } from './outbox';

export type ReportFields = Omit<ReportInput, 'photos' | 'clientKey'>;

export type SubmitOutcome = { kind: 'sent'; detail: CaseDetail } | { kind: 'queued' } | { kind: 'refused'; error: unknown };

export function useReportSubmission() {
  const me = useMe();
  const client = useQueryClient();
  // made when the form opens: a report resent (after a lost answer, or from the offline queue) is stored once
  const clientKey = useRef(newClientKey());
  const [busy, setBusy] = useState(false);
  // what both forms pick from: the categories (leaves only) and the grid a position falls in
  const categories = useCategories();
  const grids = useGrids();
  const categoryOptions = categoryTree(categories.data ?? [], true);
  const gridOf = (p: { lng: number; lat: number } | null) => (p ? gridAt(grids.data, p.lng, p.lat) : null);

  /** Sends the report, or queues it; a refusal is returned, not thrown. */
  const submit = async (input: ReportFields, photos: { hashes?: string[]; blobs?: QueuedPhoto[] } = {}): Promise<SubmitOutcome> => {
    setBusy(true);
    const key = clientKey.current;
    const uploaded = [...(photos.hashes ?? [])];
    let rest = photos.blobs ?? [];
    try {
      if (!navigator.onLine) throw new ApiError(0, 'network', 'offline');
      // photos first: each uploaded one moves from blobs to hashes, so a queued report does not upload it again
      while (rest.length) {
        const p = rest[0]!;
        uploaded.push((await api.uploadPhoto(p.blob, p.name)).hash);
        rest = rest.slice(1);
      }
      const detail = await api.report({ ...input, photos: uploaded, clientKey: key } as ReportInput);
      void client.invalidateQueries({ queryKey: caseKeys.all });
      void client.invalidateQueries({ queryKey: taskKeys.all });
      client.setQueryData(caseKeys.detail(detail.id), detail);
      return { kind: 'sent', detail };
    } catch (err) {
      if (!isTransient(err)) return { kind: 'refused', error: err };
      await queueReport({ clientKey: key, userId: me.id, input, photoHashes: uploaded, photoBlobs: rest });
      // the next report from this form is another report
      clientKey.current = newClientKey();
      return { kind: 'queued' };
    } finally {
      setBusy(false);
    }
  };

  return { submit, busy, categories, grids, categoryOptions, gridOf };
}
