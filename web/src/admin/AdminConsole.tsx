import { useTranslation } from 'react-i18next';
import { Navigate, NavLink, Route, Routes } from 'react-router';
import { useUser } from '../session/SessionContext.tsx';
import './admin.css';
import { ApiKeysPage } from './ApiKeysPage.tsx';
import { AssistantsPage } from './AssistantsPage.tsx';
import { AuditLogPage } from './AuditLogPage.tsx';
import { CollectionsPage } from './CollectionsPage.tsx';
import { DocumentsPage } from './DocumentsPage.tsx';
import { GroupsPage } from './GroupsPage.tsx';
import { SlackPage } from './SlackPage.tsx';
import { SourcesPage } from './SourcesPage.tsx';
import { UsagePage } from './UsagePage.tsx';
import { UsersPage } from './UsersPage.tsx';

const sections = [
  ['collections', 'Collections'],
  ['documents', 'Documents'],
  ['sources', 'Sources'],
  ['assistants', 'Assistants'],
  ['users', 'Users'],
  ['groups', 'Groups'],
  ['api-keys', 'API keys'],
  ['usage', 'Usage'],
  ['slack', 'Slack'],
  ['audit', 'Audit log'],
] as const;

/** The admin console. Members never see a link here; if they type the address, they are told, and its APIs answer 403. */
export function AdminConsole() {
  const user = useUser();
  const { t } = useTranslation();
  if (user.role !== 'admin') {
    return (
      <main className="page">
        <h1>{t('Admins only')}</h1>
        <p role="alert">{t('The admin console is for Tapeout admins. Ask an admin if you need a collection, an assistant or access.')}</p>
      </main>
    );
  }
  return (
    <div className="admin-layout">
      <nav aria-label={t('Admin')} className="admin-nav">
        {sections.map(([path, label]) => (
          <NavLink key={path} to={`/admin/${path}`}>
            {t(label)}
          </NavLink>
        ))}
      </nav>
      <main className="page admin-page">
        <Routes>
          <Route index element={<Navigate to="collections" replace />} />
          <Route path="collections" element={<CollectionsPage />} />
          <Route path="documents" element={<DocumentsPage />} />
          <Route path="sources" element={<SourcesPage />} />
          <Route path="assistants" element={<AssistantsPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="groups" element={<GroupsPage />} />
          <Route path="api-keys" element={<ApiKeysPage />} />
          <Route path="usage" element={<UsagePage />} />
          <Route path="slack" element={<SlackPage />} />
          <Route path="audit" element={<AuditLogPage />} />
        </Routes>
      </main>
    </div>
  );
}
