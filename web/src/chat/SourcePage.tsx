import { useNavigate, useParams } from 'react-router';
import './chat.css';
import { SourceViewer } from './SourceViewer.tsx';

/** /sources/:chunkId: the source viewer on its own, where Slack answers link their citations. */
export function SourcePage() {
  const { chunkId = '' } = useParams();
  const navigate = useNavigate();
  return (
    <main className="page" aria-label="Source">
      <SourceViewer chunkId={chunkId} onClose={() => void navigate('/')} />
    </main>
  );
}
