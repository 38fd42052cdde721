// 导出 Excel for any list: a link to the list's .xlsx export under the filter on the screen (the server streams the
// same rows the list shows; see src/services/xlsx-export.ts).
import { Button } from 'antd';
import { FileExcelOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

export function ExportButton({ path, query, testId }: { path: string; query?: Record<string, string | number | undefined | null>; testId?: string }) {
  const { t } = useTranslation();
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== '' && k !== 'page' && k !== 'pageSize') p.set(k, String(v));
  const qs = p.toString();
  return (
    <Button icon={<FileExcelOutlined />} href={`/api${path}${qs ? `?${qs}` : ''}`} download data-testid={testId ?? 'list-export'}>
      {t('common.exportXlsx')}
    </Button>
  );
}
