import { useState } from 'react';
import { Bar, BarChart, CartesianGrid, Cell, Pie, PieChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageReport } from '../api/types.ts';
import { useResource } from '../api/useResource.ts';
import { Loading, Problem } from '../components/Feedback.tsx';

const percent = (part: number, whole: number) => (whole ? `${Math.round((part / whole) * 100)}%` : '—');

/** Questions per day, feedback and unanswered questions: where the assistants need work. */
export function UsagePage() {
  const [days, setDays] = useState(30);
  const usage = useResource<UsageReport>(`/usage?days=${days}`);
  const report = usage.data;
  const rated = report ? report.feedback.up + report.feedback.down : 0;
  return (
    <>
      <h1>Usage</h1>
      <label className="collection-select">
        Period
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          <option value={7}>last 7 days</option>
          <option value={30}>last 30 days</option>
          <option value={90}>last 90 days</option>
        </select>
      </label>
      <Problem text={usage.problem} />
      {!report && !usage.problem && <Loading what="usage" />}
      {report && (
        <>
          <dl className="figures">
            <div>
              <dt>Questions</dt>
              <dd>{report.questions}</dd>
            </div>
            <div>
              <dt>Answered with no sources</dt>
              <dd>
                {report.answeredWithoutSources} ({percent(report.answeredWithoutSources, report.questions)})
              </dd>
            </div>
            <div>
              <dt>Helpful ratings</dt>
              <dd>
                {report.feedback.up} of {rated} ({percent(report.feedback.up, rated)})
              </dd>
            </div>
          </dl>
          <section className="card chart" aria-labelledby="per-day">
            <h2 id="per-day">Questions per day</h2>
            <ResponsiveContainer width="100%" height={240}>
              <BarChart data={report.questionsPerDay} accessibilityLayer>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" tickFormatter={(day: string) => day.slice(5)} minTickGap={16} />
                <YAxis allowDecimals={false} width={32} />
                <Tooltip />
                <Bar dataKey="questions" name="Questions" fill="#2f5fd0" isAnimationActive={false} />
              </BarChart>
            </ResponsiveContainer>
          </section>
          <div className="two-columns">
            <section className="card chart" aria-labelledby="feedback-ratio">
              <h2 id="feedback-ratio">Feedback</h2>
              {rated === 0 ? (
                <p className="empty">No answer has been rated in this period.</p>
              ) : (
                <ResponsiveContainer width="100%" height={200}>
                  <PieChart accessibilityLayer>
                    <Pie
                      data={[
                        { name: 'Helpful', value: report.feedback.up },
                        { name: 'Not helpful', value: report.feedback.down },
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
              <h2 id="by-assistant">By assistant</h2>
              {report.byAssistant.length === 0 ? (
                <p className="empty">No questions in this period.</p>
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
            <h2 id="complaints">Latest "not helpful" ratings</h2>
            {report.recentComplaints.length === 0 ? (
              <p className="empty">None in this period.</p>
            ) : (
              <ul>
                {report.recentComplaints.map((c) => (
                  <li key={c.messageId}>
                    <strong>{c.assistant}</strong>: “{c.question}” {c.comment ? `— ${c.comment}` : ''}
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
