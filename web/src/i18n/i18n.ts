import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import { zhCN } from './zh-CN.ts';

/** The languages the interface is written in; answers and documents may be in any. */
export const interfaceLanguages = [
  { code: 'en', label: 'English' },
  { code: 'zh-CN', label: '简体中文' },
] as const;

/**
 * English text is its own key (a missing translation shows the English), so components read
 * as before: t('New chat'). The language comes from the user's last choice (localStorage),
 * else the browser's; any Chinese browser gets Simplified Chinese, anything else English.
 */
void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: { 'zh-CN': { translation: zhCN } },
    fallbackLng: 'en',
    supportedLngs: interfaceLanguages.map((language) => language.code),
    keySeparator: false,
    nsSeparator: false,
    returnEmptyString: false,
    interpolation: { escapeValue: false },
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: 'tapeout.language',
      caches: ['localStorage'],
      convertDetectedLanguage: (language: string) => (language.toLowerCase().startsWith('zh') ? 'zh-CN' : language),
    },
  });

const markDocumentLanguage = (language: string) => document.documentElement.setAttribute('lang', language);
markDocumentLanguage(i18n.resolvedLanguage ?? 'en');
i18n.on('languageChanged', markDocumentLanguage);

export { i18n };
