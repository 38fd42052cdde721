// Date formatting shared by lists and the case page.
import dayjs from 'dayjs';

export function fmtTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}
