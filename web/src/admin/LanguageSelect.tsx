import { useMemo } from 'react';

/** A language's name in the interface's language (Intl.DisplayNames), its code when the browser lacks one. */
export function languageName(code: string, interfaceLanguage: string): string {
  try {
    return new Intl.DisplayNames([interfaceLanguage], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Detect automatically" or one of the languages the server lists, by name. */
export function LanguageSelect({ codes, value, onChange, label }: { codes: string[]; value: string; onChange: (value: string) => void; label: string }) {
  const options = useMemo(() => codes.map((code) => ({ code, name: languageName(code, 'en') })).sort((a, b) => a.name.localeCompare(b.name)), [codes]);
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="auto">Detect from the documents</option>
        {options.map(({ code, name }) => (
          <option key={code} value={code}>
            {name} ({code})
          </option>
        ))}
      </select>
    </label>
  );
}

/** What a collection's listing says of its language. */
export function describeLanguage(collection: { language: string | null; detectedLanguage: string | null }): string {
  if (collection.language) return languageName(collection.language, 'en');
  if (collection.detectedLanguage) return `${languageName(collection.detectedLanguage, 'en')} (detected)`;
  return 'not detected yet (from the first document)';
}
