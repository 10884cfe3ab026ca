import type { Citation } from '../answering/AssistantAnswerer.ts';
import type { SlackMessage } from './SlackApi.ts';

export const feedbackActionIds = { up: 'tapeout_feedback_up', down: 'tapeout_feedback_down' } as const;

const sectionLimit = 2900;
const contextElementLimit = 10;

/** Slack's three control characters; everything else is shown as written. */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The subset of Markdown answers use, in Slack's mrkdwn: bold, headings, links. Text is escaped
 * first, so a document quoting `<!channel>`, `<@U123>` or `<https://…|…>` cannot ping or link
 * anything. A Markdown link is shown as its label followed by its target, never as a label
 * alone: the text comes from documents, and a label could disguise where a link goes.
 */
export function toSlackMrkdwn(markdown: string): string {
  return (
    escape(markdown)
      // Bounded repetitions keep each pattern linear in the answer's length, whatever it holds.
      .replace(/\*\*([^*\n]{1,500})\*\*/g, '*$1*')
      .replace(/^#{1,6}[ \t]+(.+)$/gm, '*$1*')
      .replace(/\[([^\]\n]{1,300})\]\((https?:\/\/[^)\s|]{1,2000})\)/g, (_match, label: string, url: string) => `${label} (<${url}>)`)
  );
}

function sections(text: string): object[] {
  const blocks: object[] = [];
  for (let start = 0; start < text.length; start += sectionLimit) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: text.slice(start, start + sectionLimit) } });
  }
  return blocks;
}

export interface AnswerView {
  text: string;
  citations: Citation[];
  /** Set once the answer is finished: the feedback buttons carry it. */
  answerId?: string;
  notice?: string | null;
  extractive: boolean;
  /** The web app, for links to the source viewer. */
  webUrl: string;
}

/** An answer as Slack blocks: the text, a label when no LLM wrote it, citations linking to the source viewer, feedback buttons. */
export function answerMessage(view: AnswerView): SlackMessage {
  const body = toSlackMrkdwn(view.text) || '_Searching the documents you can access…_';
  const blocks: object[] = [];
  const label = [view.extractive ? '*Extractive answer*' : '', view.notice ? escape(view.notice) : ''].filter(Boolean).join(' ');
  if (label) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: label }] });
  blocks.push(...sections(body));
  if (view.citations.length) {
    blocks.push({
      type: 'context',
      elements: view.citations.slice(0, contextElementLimit).map((citation) => ({
        type: 'mrkdwn',
        text: `<${view.webUrl}/sources/${citation.chunkId}|[${citation.index}] ${escape(citationLabel(citation))}>`,
      })),
    });
  }
  if (view.answerId) {
    blocks.push({
      type: 'actions',
      block_id: 'tapeout_feedback',
      elements: [
        {
          type: 'button',
          action_id: feedbackActionIds.up,
          value: view.answerId,
          text: { type: 'plain_text', text: ':thumbsup: Helpful', emoji: true },
        },
        {
          type: 'button',
          action_id: feedbackActionIds.down,
          value: view.answerId,
          text: { type: 'plain_text', text: ':thumbsdown: Not helpful', emoji: true },
        },
      ],
    });
  }
  // The fallback text notifies and is parsed like the blocks, so it is escaped like them.
  return { text: escape(view.text) || 'Searching the documents you can access…', blocks };
}

function citationLabel(citation: Citation): string {
  const place = [citation.headingPath.at(-1), citation.page ? `p. ${citation.page}` : ''].filter(Boolean).join(', ');
  return `${citation.title || citation.filename || 'Source'}${place ? ` › ${place}` : ''}`;
}

export function errorMessage(message: string): SlackMessage {
  return { text: escape(message), blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `:warning: ${escape(message)}` } }] };
}
