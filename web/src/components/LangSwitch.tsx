// The UI language switch (中文 / EN) shown in the header and on the login page.
import { Segmented } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { setLang, type Lang } from '../i18n';
import { SESSION_KEY } from '../session';
import { sessionKeys } from '../queryKeys';

export function LangSwitch({ size = 'small' }: { size?: 'small' | 'middle' }) {
  const { i18n } = useTranslation();
  const client = useQueryClient();
  const value: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <Segmented<Lang>
      size={size}
      data-testid="lang-switch"
      value={value}
      options={[
        { label: '中文', value: 'zh-CN' },
        { label: 'EN', value: 'en' },
      ]}
      onChange={(lang) => {
        void setLang(lang).then(() =>
          // names and messages from the server may depend on the language
          client.invalidateQueries({ predicate: (q) => q.queryKey[0] !== sessionKeys.all[0] }),
        );
      }}
    />
  );
}
