/**
 * The link to a file of a repository on a host whose blob URLs are known (GitHub, GitLab, Gitea
 * and Forgejo's Codeberg), or undefined: other hosts (Gerrit, an internal GitLab) set the source's
 * linkTemplate. {startLine} and {endLine} are filled per citation.
 */
export function linkTemplateFor(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:') return undefined;
  const repository = `${parsed.origin}${parsed.pathname.replace(/\.git$/, '').replace(/\/+$/, '')}`;
  switch (parsed.hostname) {
    case 'github.com':
      return `${repository}/blob/{commit}/{path}#L{startLine}-L{endLine}`;
    case 'gitlab.com':
      return `${repository}/-/blob/{commit}/{path}#L{startLine}-{endLine}`;
    case 'codeberg.org':
      return `${repository}/src/commit/{commit}/{path}#L{startLine}-L{endLine}`;
    default:
      return undefined;
  }
}
