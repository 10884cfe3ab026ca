import { useTranslation } from 'react-i18next';

/** Loading, empty and error states, worded the same everywhere. */
export function Problem({ text }: { text: string | undefined }) {
  return text ? (
    <p role="alert" className="error">
      {text}
    </p>
  ) : null;
}

export function Loading({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <p role="status" className="loading">
      {t('Loading {{what}}…', { what })}
    </p>
  );
}
