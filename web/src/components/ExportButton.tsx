// 导出 Excel for any list: downloads the list's .xlsx export under the filter on the screen (the server streams the
// same rows the list shows; see src/services/xlsx-export.ts). The file is fetched first, so a refusal (not allowed,
// too many rows, a bad filter) shows its message in the page instead of downloading a JSON error as a file.
import { useState, type ReactNode } from 'react';
import { Button } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, download } from '../api';
import { showError } from '../notify';

type Query = Record<string, string | number | undefined | null>;

/**
 * Fetches a download; on success saves it under the server's file name, on a refusal shows the server's message
 * (already in the reader's language). Returns whether a file was saved.
 */
export async function downloadFile(url: string, fallbackError: string): Promise<boolean> {
  let file: { blob: Blob; fileName: string };
  try {
    file = await download(url);
  } catch (err) {
    showError(err instanceof ApiError && err.status > 0 ? err.message : fallbackError);
    return false;
  }
  const href = URL.createObjectURL(file.blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return true;
}

export function exportUrl(path: string, query?: Query): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '' && k !== 'page' && k !== 'pageSize') p.set(k, String(v));
  const qs = p.toString();
  return `/api${path}${qs ? `?${qs}` : ''}`;
}

export function ExportButton({
  path,
  query,
  url,
  testId,
  children,
  icon,
  size,
}: {
  path?: string;
  query?: Query;
  /** a whole URL instead of path + query */
  url?: string;
  testId?: string;
  children?: ReactNode;
  icon?: ReactNode;
  size?: 'small' | 'middle' | 'large';
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const href = url ?? exportUrl(path ?? '', query);
  return (
    <Button
      icon={icon ?? <FileExcelOutlined />}
      loading={busy}
      size={size}
      data-testid={testId ?? 'list-export'}
      data-href={href}
      onClick={async () => {
        setBusy(true);
        try {
          await downloadFile(href, t('common.exportFailed'));
        } finally {
          setBusy(false);
        }
      }}
    >
      {children ?? t('common.exportXlsx')}
    </Button>
  );
}
