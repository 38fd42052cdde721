// The small form behind a move button: only the fields that move needs (see moveFields.ts; what is required comes
// from the server's lifecycle). Sends the case
// version that is on screen; on 409/403 it closes and reloads the case so the user sees what changed.
import { useMemo } from 'react';
import { Alert, Button, DatePicker, Form, Input, Modal, Rate, Select, TreeSelect, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { CaseDetail, MoveInput } from '../../../../src/shared/api';
import { URGENCIES, type MoveName, type Urgency } from '../../../../src/shared/vocabulary';
import { api, ApiError } from '../../api';
import { fmtTime } from '../../format';
import { showSuccess } from '../../notify';
import { defaultDepartmentOf, handleDaysOf, useCaseLifecycle, useCategories, useDepartments } from '../../queries';
import { categoryTree } from '../categoryTree';
import { PhotoUpload } from '../PhotoUpload';
import { DepartmentContacts } from '../DepartmentContacts';
import { GridSelect } from './GridSelect';
import { MasterSelect } from './MasterSelect';
import { fieldsOf, requiresOf } from './moveFields';
import { caseKeys, taskKeys } from '../../queryKeys';

interface FormValues {
  note?: string;
  categoryId?: number;
  urgency?: Urgency;
  departmentId?: number;
  coDepartmentIds?: number[];
  deadline?: Dayjs | null;
  masterId?: number;
  gridId?: number;
  rating?: number;
  photos?: string[];
}

interface Props {
  c: CaseDetail;
  move: MoveName | null;
  onClose: () => void;
}

const future = (message: string) => ({
  validator: (_: unknown, v?: Dayjs | null) => (!v || v.isAfter(dayjs()) ? Promise.resolve() : Promise.reject(new Error(message))),
});

export function MoveDialog({ c, move, onClose }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const client = useQueryClient();
  const categories = useCategories();
  const departments = useDepartments();
  const lifecycle = useCaseLifecycle();
  // the form waits for the lifecycle: what each move requires is the server's definition
  const fields = useMemo(() => (move && lifecycle.data ? fieldsOf(move, requiresOf(lifecycle.data, move)) : null), [move, lifecycle.data]);
  const watchedDepartment = Form.useWatch('departmentId', form);

  // defaults from the case and its category; the form remounts once the categories arrive
  const initialValues = useMemo((): FormValues => {
    if (!move || !fields) return {};
    const cats = categories.data ?? [];
    const v: FormValues = {};
    if (fields.dispatch) v.departmentId = c.departmentId ?? defaultDepartmentOf(cats, c.categoryId);
    if (fields.classify) Object.assign(v, { categoryId: c.categoryId, urgency: c.urgency });
    if (fields.grantDeadline && c.pendingExtension?.deadline) v.deadline = dayjs(c.pendingExtension.deadline);
    if (fields.proposeDeadline) {
      const from = c.deadline && dayjs(c.deadline).isAfter(dayjs()) ? dayjs(c.deadline) : dayjs();
      v.deadline = from.add(handleDaysOf(cats, c.categoryId, c.urgency), 'day').startOf('minute');
    }
    return v;
  }, [move, fields, categories.data, c]);
  // the form remounts when the categories arrive, and the watch can miss the preset value: fall back to it
  const mainDepartment = watchedDepartment ?? initialValues.departmentId;

  const mutation = useMutation({
    mutationFn: (v: FormValues) => {
      const input: Partial<MoveInput> & { version: number } = { version: c.version, photos: v.photos ?? [] };
      if (v.note?.trim()) input.note = v.note.trim();
      if (fields?.classify) {
        if (v.categoryId !== c.categoryId) input.categoryId = v.categoryId;
        if (v.urgency !== c.urgency) input.urgency = v.urgency;
      }
      if (fields?.dispatch) {
        input.departmentId = v.departmentId;
        if (v.coDepartmentIds?.length) input.coDepartmentIds = v.coDepartmentIds;
      }
      if ((fields?.dispatch || fields?.proposeDeadline || fields?.grantDeadline) && v.deadline) input.deadline = v.deadline.format();
      if (fields?.master) input.masterId = v.masterId;
      if (fields?.grid) input.gridId = v.gridId;
      if (fields?.rating) input.rating = v.rating;
      return api.move(c.id, move!, input);
    },
    onSuccess: (detail) => {
      client.setQueryData(caseKeys.detail(c.id), detail);
      void client.invalidateQueries({ queryKey: taskKeys.all });
      void client.invalidateQueries({ queryKey: caseKeys.all });
      showSuccess(t('moveForm.done', { move: t(`move.${move}`) }));
      onClose();
    },
    onError: (err) => {
      // 409: someone moved the case first, or it is no longer in a state for this move: show the new state
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        void client.invalidateQueries({ queryKey: caseKeys.detail(c.id) });
        onClose();
      }
    },
  });

  const days = handleDaysOf(categories.data ?? [], c.categoryId, c.urgency);
  const deptOptions = (departments.data ?? []).map((d) => ({ value: d.id, label: d.name }));

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
          danger={fields?.danger}
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
          key={categories.data ? 'ready' : 'loading'}
          initialValues={initialValues}
          layout="vertical"
          name="move"
          preserve={false}
          onFinish={(values) => mutation.mutate(values)}
          data-testid="move-form"
          data-move={move}
        >
          {fields.confirm && <Typography.Paragraph>{t('moveForm.confirmText', { move: t(`move.${move}`) })}</Typography.Paragraph>}
          <Context c={c} move={move} />
          {fields.classify && (
            <>
              <Form.Item name="categoryId" label={t('moveForm.category')} rules={[{ required: true }]}>
                <TreeSelect
                  data-testid="move-category"
                  showSearch
                  treeNodeFilterProp="title"
                  treeData={categoryTree(categories.data ?? [], true)}
                />
              </Form.Item>
              <Form.Item name="urgency" label={t('moveForm.urgency')}>
                <Select data-testid="move-urgency" options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
              </Form.Item>
            </>
          )}
          {fields.dispatch && (
            <>
              <Form.Item name="departmentId" label={t('moveForm.department')} rules={[{ required: true, message: t('moveForm.departmentRequired') }]}>
                <Select data-testid="move-department" showSearch={{ optionFilterProp: 'label' }} loading={departments.isLoading} options={deptOptions} />
              </Form.Item>
              {/* who to call there: the handler's contacts, phones as this reader may see them */}
              <DepartmentContacts departmentId={mainDepartment} />
              <Form.Item name="coDepartmentIds" label={t('moveForm.coDepartments')}>
                <Select
                  data-testid="move-co-departments"
                  mode="multiple"
                  allowClear
                  showSearch={{ optionFilterProp: 'label' }}
                  options={deptOptions.filter((o) => o.value !== mainDepartment)}
                />
              </Form.Item>
            </>
          )}
          {(fields.dispatch || fields.proposeDeadline || fields.grantDeadline) && (
            <Form.Item
              name="deadline"
              label={t(fields.proposeDeadline ? 'moveForm.newDeadline' : fields.grantDeadline ? 'moveForm.grantDeadline' : 'moveForm.deadline')}
              extra={fields.dispatch ? t('moveForm.deadlineAuto', { days }) : undefined}
              rules={[
                ...(fields.proposeDeadline ? [{ required: true, message: t('moveForm.deadlineRequired') }] : []),
                future(t('moveForm.deadlineFuture')),
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
          )}
          {fields.grid && (
            <Form.Item name="gridId" label={t('moveForm.grid')} rules={[{ required: true, message: t('moveForm.gridRequired') }]}>
              <GridSelect c={c} />
            </Form.Item>
          )}
          {fields.master && (
            <Form.Item name="masterId" label={t('moveForm.master')} rules={[{ required: true, message: t('moveForm.masterRequired') }]}>
              <MasterSelect c={c} />
            </Form.Item>
          )}
          {fields.rating && (
            <Form.Item name="rating" label={t('moveForm.rating')} rules={[{ required: true, message: t('moveForm.ratingRequired') }]}>
              <Rate data-testid="move-rating" tooltips={[1, 2, 3, 4, 5].map((r) => t(`rating.r${r}`))} />
            </Form.Item>
          )}
          <Form.Item
            name="note"
            label={t(fields.note.label)}
            rules={fields.note.required ? [{ required: true, whitespace: true, message: t('moveForm.noteRequired') }] : []}
          >
            <Input.TextArea
              data-testid="move-note"
              rows={3}
              maxLength={2000}
              showCount
              placeholder={fields.note.required ? undefined : t('moveForm.notePlaceholder')}
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

/** What the person deciding needs to see: the pending request, or the category's criteria. */
function Context({ c, move }: { c: CaseDetail; move: MoveName }) {
  const { t } = useTranslation();
  let text: React.ReactNode = null;
  if ((move === 'grant_extension' || move === 'deny_extension') && c.pendingExtension) {
    text = (
      <>
        {t('detail.pendingExtension', { note: c.pendingExtension.note })}
        {c.pendingExtension.deadline && <div>{t('detail.proposedDeadline', { deadline: fmtTime(c.pendingExtension.deadline) })}</div>}
      </>
    );
  } else if ((move === 'suspend' || move === 'deny_suspend') && c.pendingSuspend) {
    text = t('detail.pendingSuspend', { note: c.pendingSuspend.note });
  } else if ((move === 'accept' || move === 'reject') && c.categoryCriteria?.accept) {
    text = `${t('detail.acceptCriteria')}${t('common.colon')}${c.categoryCriteria.accept}`;
  } else if ((move === 'close' || move === 'verify_pass' || move === 'verify_fail') && c.categoryCriteria?.close) {
    text = `${t('detail.closeCriteria')}${t('common.colon')}${c.categoryCriteria.close}`;
  }
  return text ? <Alert type="info" showIcon title={text} style={{ marginBottom: 16 }} /> : null;
}
