// i18next setup and the UI language (zh-CN default, en second), remembered in localStorage and a `lang` cookie
// that the server reads too.
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { zhCN } from './zh-CN';
import { en } from './en';
import { gridsZhCN } from './grids.zh-CN';
import { gridsEn } from './grids.en';
import { commandZhCN } from './command.zh-CN';
import { commandEn } from './command.en';
import { adminZhCN } from './admin.zh-CN';
import { adminEn } from './admin.en';
import { firstDayZhCN } from './firstday.zh-CN';
import { firstDayEn } from './firstday.en';
import { auditLogZhCN } from './audit-log.zh-CN';
import { auditLogEn } from './audit-log.en';
import { assessmentZhCN } from './assessment.zh-CN';
import { assessmentEn } from './assessment.en';
import { hazardsZhCN } from './hazards.zh-CN';
import { hazardsEn } from './hazards.en';
import type { Lang } from '../../../src/shared/messages';
import { enterprisesZhCN } from './enterprises.zh-CN';
import { enterprisesEn } from './enterprises.en';
import { adminOrgZhCN } from './admin-org.zh-CN';
import { adminOrgEn } from './admin-org.en';
import { checklistsZhCN } from './checklists.zh-CN';
import { checklistsEn } from './checklists.en';

/** The one language type, shared with the server (src/shared/messages.ts). */
export type { Lang } from '../../../src/shared/messages';
export const LANGS: readonly Lang[] = ['zh-CN', 'en'];
const STORAGE_KEY = 'gridwork.lang';

function readStoredLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh-CN') return stored;
  } catch {
    /* storage disabled */
  }
  const cookie = /(?:^|;\s*)lang=([^;]+)/.exec(document.cookie)?.[1];
  if (cookie === 'en' || cookie === 'zh-CN') return cookie;
  return 'zh-CN';
}

function applyLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage disabled */
  }
  document.cookie = `lang=${lang}; path=/; max-age=31536000; samesite=lax`;
  document.documentElement.lang = lang;
  dayjs.locale(lang === 'en' ? 'en' : 'zh-cn');
}

const initial = readStoredLang();
applyLang(initial);

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});
// grid administration's strings, merged deep (they add to `menu`)
i18n.addResourceBundle('zh-CN', 'translation', gridsZhCN, true, false);
i18n.addResourceBundle('en', 'translation', gridsEn, true, false);
// the command centre's, dashboard's and phone pages' strings, merged deep (they add to `menu`)
i18n.addResourceBundle('zh-CN', 'translation', commandZhCN, true, false);
i18n.addResourceBundle('en', 'translation', commandEn, true, false);
// administration's strings (users, departments, divisions, setup guide), merged deep (they add to `menu`)
i18n.addResourceBundle('zh-CN', 'translation', adminZhCN, true, false);
i18n.addResourceBundle('en', 'translation', adminEn, true, false);
// the first-day screens' strings (inbox deadlines, phone case pages, base maps), under `fd`
i18n.addResourceBundle('zh-CN', 'translation', firstDayZhCN, true, false);
i18n.addResourceBundle('en', 'translation', firstDayEn, true, false);
i18n.addResourceBundle('zh-CN', 'translation', auditLogZhCN, true, false);
i18n.addResourceBundle('en', 'translation', auditLogEn, true, false);
// the assessment pages' strings (考核、红黑榜), merged deep (they add to `menu`)
i18n.addResourceBundle('zh-CN', 'translation', assessmentZhCN, true, false);
i18n.addResourceBundle('en', 'translation', assessmentEn, true, false);
// enterprises, hazards and ledgers (under `hz`; they add to `menu`)
i18n.addResourceBundle('zh-CN', 'translation', hazardsZhCN, true, false);
i18n.addResourceBundle('en', 'translation', hazardsEn, true, false);
i18n.addResourceBundle('zh-CN', 'translation', enterprisesZhCN, true, false);
i18n.addResourceBundle('en', 'translation', enterprisesEn, true, false);
// the rest of administration (under `org`): department contacts/merge, category move/retire, divisions import
i18n.addResourceBundle('zh-CN', 'translation', adminOrgZhCN, true, false);
i18n.addResourceBundle('en', 'translation', adminOrgEn, true, false);
// checklist templates, plan editing and the enterprise archive's edit form, under `ck` (they add to `menu`)
i18n.addResourceBundle('zh-CN', 'translation', checklistsZhCN, true, false);
i18n.addResourceBundle('en', 'translation', checklistsEn, true, false);

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export async function setLang(lang: Lang): Promise<void> {
  applyLang(lang);
  await i18n.changeLanguage(lang);
}

export default i18n;
