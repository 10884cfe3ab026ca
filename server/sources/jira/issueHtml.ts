import { escapeHtml as escaped } from '../escapeHtml.ts';
import type { JiraIssue, JiraUser } from './jiraTypes.ts';

const person = (user: JiraUser | null | undefined) => user?.displayName ?? user?.name ?? '';

/** A field's value as text: names of objects (a version, an option), lists joined, plain values as they are. */
function fieldText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(fieldText).filter(Boolean).join(', ');
  if (typeof value === 'object') {
    const named = value as { name?: unknown; value?: unknown; displayName?: unknown };
    return String(named.displayName ?? named.name ?? named.value ?? '');
  }
  return String(value);
}

/**
 * A Jira issue as the HTML document Tapeout ingests: its key and summary as the title, the chosen
 * fields as a definition list, the description and each comment (Jira's own rendering of them,
 * renderedFields) under headings of their own, so a comment is cited as "Comments › author, date".
 */
export function issueHtml(project: string, issue: JiraIssue, chosenFields: string[], withComments: boolean): string {
  const f = issue.fields;
  const title = `${issue.key}: ${f.summary ?? ''}`;
  const facts: [string, string][] = [
    ['Status', f.status?.name ?? ''],
    ['Type', f.issuetype?.name ?? ''],
    ['Priority', f.priority?.name ?? ''],
    ['Assignee', person(f.assignee)],
    ['Reporter', person(f.reporter)],
    ['Updated', f.updated ?? ''],
    ...chosenFields.map((field): [string, string] => [issue.names?.[field] ?? field, fieldText(f[field] ?? f[nameToId(issue, field)])]),
  ];
  const list = facts
    .filter(([, value]) => value)
    .map(([name, value]) => `<dt>${escaped(name)}</dt><dd>${escaped(value)}</dd>`)
    .join('');
  const rendered = issue.renderedFields?.comment?.comments ?? [];
  const comments = withComments
    ? (f.comment?.comments ?? [])
        .map((comment) => {
          const body = rendered.find((r) => r.id === comment.id)?.body ?? '';
          return `<h3>${escaped(`${person(comment.author)}, ${comment.created?.slice(0, 10) ?? ''}`)}</h3>\n${body}`;
        })
        .join('\n')
    : '';
  return `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${escaped(title)}</title></head><body>
<h1>${escaped(title)}</h1>
<p>${escaped(project)}</p>
<dl>${list}</dl>
<h2>Description</h2>
${issue.renderedFields?.description ?? ''}
${comments ? `<h2>Comments</h2>\n${comments}` : ''}
</body></html>
`;
}

/** A custom field named as the API names it ("Tape-out milestone") to its id, through the issue's `names`. */
function nameToId(issue: JiraIssue, name: string): string {
  return Object.entries(issue.names ?? {}).find(([, label]) => label === name)?.[0] ?? name;
}
