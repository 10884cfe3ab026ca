import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { interfaceLanguages } from './i18n.ts';

/** The interface language, remembered in this browser; each option is named in its own language. */
export function LanguageSwitcher() {
  const { t, i18n } = useTranslation();
  const id = useId();
  return (
    <span className="language-switcher">
      <label htmlFor={id} className="visually-hidden">
        {t('Interface language')}
      </label>
      <select id={id} value={i18n.resolvedLanguage ?? 'en'} onChange={(event) => void i18n.changeLanguage(event.target.value)}>
        {interfaceLanguages.map((language) => (
          <option key={language.code} value={language.code} lang={language.code}>
            {language.label}
          </option>
        ))}
      </select>
    </span>
  );
}
