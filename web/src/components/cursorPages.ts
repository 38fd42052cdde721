// Keyset paging for the case lists: the server answers each page with a cursor for the next one; paging forward
// (or back to a page seen before) sends that cursor instead of an offset, so page 50 costs what page 1 costs.
// A page reached without a cursor (a bookmark, a jump) falls back to the page number.
import { useRef } from 'react';

export function useCursorPages(filterKey: string) {
  const ref = useRef<{ key: string; cursors: Map<number, string> }>({ key: filterKey, cursors: new Map() });
  if (ref.current.key !== filterKey) ref.current = { key: filterKey, cursors: new Map() };
  const { cursors } = ref.current;
  return {
    /** the cursor that starts `page`, if the page before it was seen with these filters */
    cursorFor: (page: number) => (page > 1 ? cursors.get(page) : undefined),
    /** remember where the page after `page` starts */
    remember: (page: number, nextCursor: string | null | undefined) => {
      if (nextCursor) cursors.set(page + 1, nextCursor);
    },
  };
}
