import type { TFunction } from 'i18next';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';

/** A language's name in the interface's language (Intl.DisplayNames), its code when the browser lacks one. */
export function languageName(code: string, interfaceLanguage: string): string {
  try {
    return new Intl.DisplayNames([interfaceLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Detect from the documents" or one of the languages the server lists, by name. */
export function LanguageSelect({
  codes,
  value,
  onChange,
  label,
}: {
  codes: string[];
  value: string;
  onChange: (value: string) => void;
  label: string;
}) {
  const { t, i18n } = useTranslation();
  const shownIn = i18n.resolvedLanguage ?? 'en';
  const options = useMemo(
    () => codes.map((code) => ({ code, name: languageName(code, shownIn) })).sort((a, b) => a.name.localeCompare(b.name, shownIn)),
    [codes, shownIn],
  );
  const id = useId();
  // Labelled by reference, not by wrapping: a wrapping label's text would include every option.
  return (
    <span className="labelled-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="auto">{t('Detect from the documents')}</option>
        {options.map(({ code, name }) => (
          <option key={code} value={code}>
            {name} ({code})
          </option>
        ))}
      </select>
    </span>
  );
}

/** What a collection's listing says of its language. */
export function describeLanguage(
  collection: { language: string | null; detectedLanguage: string | null },
  t: TFunction,
  shownIn: string,
): string {
  if (collection.language) return languageName(collection.language, shownIn);
  if (collection.detectedLanguage) return t('{{language}} (detected)', { language: languageName(collection.detectedLanguage, shownIn) });
  return t('language not detected yet (from the first document)');
}
