import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageReport } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { Loading, Problem } from '../components/Feedback.tsx';

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');

/** Questions per day, feedback and unanswered questions: where the assistants need work. */
export function UsagePage() {
  const [days, setDays] = useState(30);
  const { t } = useTranslation();
  const usage = useResource<UsageReport>(`/usage?days=${days}`);
  const report = usage.data;
  const rated = report ? report.feedback.up + report.feedback.down : 0;
  return (
    <>
      <h1>{t('Usage')}</h1>
      <label className="collection-select">
        {t('Period')}
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={7}>{t('last {{days}} days', { days: 7 })}</option>
          <option value={30}>{t('last {{days}} days', { days: 30 })}</option>
          <option value={90}>{t('last {{days}} days', { days: 90 })}</option>
        </select>
      </label>
      <Problem text={usage.problem} />
      {!report && !usage.problem && <Loading what={t('usage')} />}
      {report && (
        <>
          <dl className="figures">
            <div>
              <dt>{t('Questions')}</dt>
              <dd>{report.questions}</dd>
            </div>
            <div>
              <dt>{t('Answered with no sources')}</dt>
              <dd>
                {report.answeredWithoutSources} ({percent(report.answeredWithoutSources, report.questions)})
              </dd>
            </div>
            <div>
              <dt>{t('Helpful ratings')}</dt>
              <dd>
                {t('{{up}} of {{rated}}', { up: report.feedback.up, rated })} ({percent(report.feedback.up, rated)})
              </dd>
            </div>
          </dl>
          <section className="card chart" aria-labelledby="per-day">
            <h2 id="per-day">{t('Questions per day')}</h2>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={report.questionsPerDay} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} minTickGap={16} />
                <YAxis allowDecimals={false} width={32} />
                <Tooltip />
                <Bar dataKey="questions" name={t('Questions')} fill="#2f5fd0" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </section>
          <div className="two-columns">
            <section className="card chart" aria-labelledby="feedback-ratio">
              <h2 id="feedback-ratio">{t('Feedback')}</h2>
              {rated === 0 ? (
                <p className="empty">{t('No answer has been rated in this period.')}</p>
              ) : (
                <ResponsiveContainer width="100%" height={200}>
                  <PieChart accessibilityLayer>
                    <Pie
                      data={[
                        { name: t('Helpful'), value: report.feedback.up },
                        { name: t('Not helpful'), value: report.feedback.down },
                      ]}
                      dataKey="value"
                      nameKey="name"
                      outerRadius={70}
                      label
                      isAnimationActive={false}
                    >
                      <Cell fill="#1d7a3e" />
                      <Cell fill="#b3261e" />
                    </Pie>
                    <Tooltip />
                  </PieChart>
                </ResponsiveContainer>
              )}
            </section>
            <section className="card" aria-labelledby="by-assistant">
              <h2 id="by-assistant">{t('By assistant')}</h2>
              {report.byAssistant.length === 0 ? (
                <p className="empty">{t('No questions in this period.')}</p>
              ) : (
                <ul>
                  {report.byAssistant.map((a) => (
                    <li key={a.assistant}>
                      {a.assistant}: {a.questions}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </div>
          <section className="card" aria-labelledby="complaints">
            <h2 id="complaints">{t('Latest "not helpful" ratings')}</h2>
            {report.recentComplaints.length === 0 ? (
              <p className="empty">{t('None in this period.')}</p>
            ) : (
              <ul>
                {report.recentComplaints.map((c) => (
                  <li key={c.messageId}>
                    <strong>{c.assistant}</strong>: <q dir="auto">{c.question}</q> {c.comment ? <span dir="auto">— {c.comment}</span> : ''}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </>
  );
}
