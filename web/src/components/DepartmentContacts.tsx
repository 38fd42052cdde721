// Who to call in a department (部门联系人): name, title and phone, as the server shows them to this reader — phones
// masked for roles that do not call them (src/domain/phone-mask.ts), a dialable link where the number is whole.
// The departments page lists them; the dispatch dialog shows them beside the chosen department.
import { Space, Typography } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { refKeys } from '../queryKeys';

export interface Contact {
  name: string;
  title: string;
  phone: string;
}

export function ContactList({ contacts, testId }: { contacts: readonly Contact[]; testId?: string }) {
  const { t } = useTranslation();
  if (contacts.length === 0) {
    return (
      <Typography.Text type="secondary" data-testid={testId}>
        {t('org.noContacts')}
      </Typography.Text>
    );
  }
  return (
    <Space direction="vertical" size={0} data-testid={testId}>
      {contacts.map((c, i) => (
        <span key={i}>
          {c.name}
          {c.title ? `（${c.title}）` : ''} {c.phone.includes('*') ? c.phone : <a href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>{c.phone}</a>}
        </span>
      ))}
    </Space>
  );
}

/** The contacts of one department, fetched for this reader; nothing until a department is chosen. */
export function DepartmentContacts({ departmentId }: { departmentId: number | undefined }) {
  const { t } = useTranslation();
  const detail = useQuery({
    queryKey: refKeys.department(departmentId ?? 0),
    queryFn: () => api.department(departmentId!),
    enabled: departmentId != null,
    meta: { silent: true },
  });
  if (departmentId == null || !detail.data) return null;
  return (
    <div style={{ marginTop: -8, marginBottom: 16 }}>
      <Typography.Text type="secondary">
        <PhoneOutlined /> {t('moveForm.departmentContacts')}
        {t('common.colon')}
      </Typography.Text>
      <ContactList contacts={detail.data.contacts} testId="move-department-contacts" />
    </div>
  );
}
