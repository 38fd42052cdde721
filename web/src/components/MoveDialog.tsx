// The small form behind a move button: only the fields that move needs (note/reason/result, department and deadline
// for a dispatch, photos for handling and verifying). Sends the case version that is on screen.
import { useEffect } from 'react';
import { Button, DatePicker, Form, Input, Modal, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CaseDetail } from '../../../src/shared/api';
import type { MoveName } from '../../../src/shared/vocabulary';
import { api, ApiError } from '../api';
import { showSuccess } from '../notify';
import { defaultDepartmentOf, handleDaysOf, useCategories, useDepartments } from '../queries';
import { PhotoUpload } from './PhotoUpload';

type NoteRule = 'required' | 'optional';
interface MoveFields {
  note: NoteRule;
  noteLabel: 'moveForm.note' | 'moveForm.reason' | 'moveForm.result' | 'moveForm.failReason';
  dispatch?: boolean;
  photos?: boolean;
}

const DEFAULT_FIELDS: MoveFields = { note: 'optional', noteLabel: 'moveForm.note' };

export const MOVE_FIELDS: Partial<Record<MoveName, MoveFields>> = {
  accept: { note: 'optional', noteLabel: 'moveForm.note' },
  reject: { note: 'required', noteLabel: 'moveForm.reason' },
  dispatch: { note: 'optional', noteLabel: 'moveForm.note', dispatch: true },
  sign: { note: 'optional', noteLabel: 'moveForm.note' },
  handle: { note: 'required', noteLabel: 'moveForm.result', photos: true },
  verify_pass: { note: 'optional', noteLabel: 'moveForm.note', photos: true },
  verify_fail: { note: 'required', noteLabel: 'moveForm.failReason', photos: true },
  close: { note: 'optional', noteLabel: 'moveForm.note' },
};

interface FormValues {
  note?: string;
  departmentId?: number;
  deadline?: Dayjs;
  photos?: string[];
}

interface Props {
  c: CaseDetail;
  move: Exclude<MoveName, 'report'> | null;
  onClose: () => void;
}

export function MoveDialog({ c, move, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const client = useQueryClient();
  const categories = useCategories();
  const departments = useDepartments();
  const fields = move ? (MOVE_FIELDS[move] ?? DEFAULT_FIELDS) : null;

  useEffect(() => {
    if (!move || !fields?.dispatch) return;
    const cats = categories.data ?? [];
    form.setFieldsValue({
      departmentId: c.departmentId ?? defaultDepartmentOf(cats, c.categoryId),
      deadline: dayjs().add(handleDaysOf(cats, c.categoryId), 'day').startOf('minute'),
    });
  }, [move, fields?.dispatch, categories.data, c.categoryId, c.departmentId, form]);

  const mutation = useMutation({
    mutationFn: (values: FormValues) =>
      api.move(c.id, move!, {
        version: c.version,
        note: values.note?.trim() || undefined,
        departmentId: fields?.dispatch ? values.departmentId : undefined,
        deadline: fields?.dispatch && values.deadline ? values.deadline.format() : undefined,
        photos: values.photos ?? [],
      }),
    onSuccess: (detail) => {
      client.setQueryData(['case', c.id], detail);
      void client.invalidateQueries({ queryKey: ['tasks'] });
      void client.invalidateQueries({ queryKey: ['cases'] });
      showSuccess(t('moveForm.done', { move: t(`move.${move}`) }));
      onClose();
    },
    onError: (err) => {
      // 409: someone moved the case first, or it is no longer in a state for this move: show the new state
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        void client.invalidateQueries({ queryKey: ['case', c.id] });
        onClose();
      }
    },
  });

  return (
    <Modal
      open={move != null}
      title={move ? t('moveForm.title', { move: t(`move.${move}`), number: c.number }) : ''}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose} data-testid="move-cancel">
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          danger={move === 'reject' || move === 'verify_fail'}
          loading={mutation.isPending}
          onClick={() => form.submit()}
          data-testid="move-submit"
        >
          {move ? t(`move.${move}`) : t('common.submit')}
        </Button>,
      ]}
    >
      {move && fields && (
        <Form<FormValues>
          form={form}
          layout="vertical"
          name="move"
          preserve={false}
          onFinish={(values) => mutation.mutate(values)}
          data-testid="move-form"
          data-move={move}
        >
          {!fields.dispatch && fields.note === 'optional' && !fields.photos && (
            <Typography.Paragraph>{t('moveForm.confirmText', { move: t(`move.${move}`) })}</Typography.Paragraph>
          )}
          {fields.dispatch && (
            <>
              <Form.Item
                name="departmentId"
                label={t('moveForm.department')}
                rules={[{ required: true, message: t('moveForm.departmentRequired') }]}
              >
                <Select
                  data-testid="move-department"
                  showSearch={{ optionFilterProp: 'label' }}
                  loading={departments.isLoading}
                  options={(departments.data ?? []).map((d) => ({ value: d.id, label: d.name }))}
                />
              </Form.Item>
              <Form.Item
                name="deadline"
                label={t('moveForm.deadline')}
                rules={[
                  { required: true, message: t('moveForm.deadlineRequired') },
                  {
                    validator: (_, v?: Dayjs) =>
                      !v || v.isAfter(dayjs()) ? Promise.resolve() : Promise.reject(new Error(t('moveForm.deadlineFuture'))),
                  },
                ]}
              >
                <DatePicker
                  data-testid="move-deadline"
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  style={{ width: '100%' }}
                  disabledDate={(d) => d.isBefore(dayjs().startOf('day'))}
                />
              </Form.Item>
            </>
          )}
          <Form.Item
            name="note"
            label={t(fields.noteLabel)}
            rules={fields.note === 'required' ? [{ required: true, whitespace: true, message: t('moveForm.noteRequired') }] : []}
          >
            <Input.TextArea
              data-testid="move-note"
              rows={3}
              maxLength={2000}
              showCount
              placeholder={fields.note === 'optional' ? t('moveForm.notePlaceholder') : undefined}
            />
          </Form.Item>
          {fields.photos && (
            <Form.Item name="photos" label={t('moveForm.photos')}>
              <PhotoUpload testId="move-photos" />
            </Form.Item>
          )}
        </Form>
      )}
    </Modal>
  );
}
