// Splitting a grid in two along a drawn line
import { Form, Input, Modal, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { showSuccess } from '../../../notify';
import { type GridDetail, type GridProblemOut, problemsOf, gridWrites as writes } from '../../../components/grids/gridsApi';
import { gridKeys } from '../../../queryKeys';

export function SplitDialog({
  grid,
  line,
  onClose,
  onProblems,
  onDone,
}: {
  grid: GridDetail;
  line: number[][];
  onClose: () => void;
  onProblems: (p: GridProblemOut[]) => void;
  onDone: (firstId: number | null) => void;
}) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [form] = Form.useForm<{ a: string; b: string }>();
  const split = useMutation({
    mutationFn: (v: { a: string; b: string }) =>
      writes.split(grid.id, {
        version: grid.version,
        line: { type: 'LineString', coordinates: line },
        names: [v.a.trim(), v.b.trim()],
        crs: 'WGS84',
      }),
    meta: { silent: true },
    onSuccess: (r) => {
      void client.invalidateQueries({ queryKey: gridKeys.all });
      showSuccess(t('grids.edit.splitDone', { names: r.created.map((c) => c.name).join('、') }));
      onDone(r.created[0]?.id ?? null);
    },
    onError: (err) => {
      const p = problemsOf(err);
      onProblems(p.length ? p : [{ index: null, code: 'error', params: {}, message: (err as Error).message }]);
    },
  });
  return (
    <Modal
      open
      title={t('grids.edit.splitTitle', { name: grid.name })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('grids.edit.splitConfirm')}
      okButtonProps={{ danger: true, loading: split.isPending, 'data-testid': 'grid-split-submit' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('grids.edit.splitHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={{ a: `${grid.name}-01`, b: `${grid.name}-02` }} onFinish={(v) => split.mutate(v)}>
        <Form.Item name="a" label={t('grids.edit.partName', { n: 1 })} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="b" label={t('grids.edit.partName', { n: 2 })} rules={[{ required: true, whitespace: true, max: 100 }]}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
