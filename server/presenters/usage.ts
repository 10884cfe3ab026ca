import type { UsageReport } from '../usage/UsageService.ts';

export function presentUsage(report: UsageReport) {
  return {
    days: report.days,
    questionsPerDay: report.questionsPerDay.map(({ day, questions }) => ({ day, questions })),
    questions: report.questions,
    answeredWithoutSources: report.answeredWithoutSources,
    feedback: { up: report.feedback.up, down: report.feedback.down },
    recentComplaints: report.recentComplaints.map(({ messageId, assistant, question, comment, createdAt }) => ({
      messageId,
      assistant,
      question,
      comment,
      createdAt,
    })),
    byAssistant: report.byAssistant.map(({ assistant, questions }) => ({ assistant, questions })),
  };
}

/** GET /api/usage: questions and feedback over a window of days. */
export type UsageResponse = ReturnType<typeof presentUsage>;
