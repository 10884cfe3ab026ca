import type { Qrels } from './beirDataset.ts';

export interface RankedDocument {
  documentId: string;
  score: number;
}

export interface RetrievalScores {
  ndcgAt10: number;
  recallAt10: number;
  recallAt100: number;
  mrrAt10: number;
  /** Queries with text and at least one judgment above 0: the only ones scored. */
  queries: number;
  /** Queries judged above 0 that the query file has no text for: not asked, so not scored. */
  skippedWithoutText: number;
}

/**
 * The standard BEIR/trec_eval figures: graded nDCG@10 (gain = the judgment, ideal ranking from
 * every judged document of the query), recall@k and MRR@10 over documents judged above 0, for
 * the queries asked (`asked`: those with text), as trec_eval scores only queries in the run.
 */
export function scoreRun(run: Map<string, RankedDocument[]>, qrels: Qrels, asked: ReadonlySet<string>): RetrievalScores {
  const totals = { ndcgAt10: 0, recallAt10: 0, recallAt100: 0, mrrAt10: 0 };
  let queries = 0;
  let skippedWithoutText = 0;
  for (const [queryId, judgments] of qrels) {
    const relevant = [...judgments].filter(([, grade]) => grade > 0);
    if (relevant.length === 0) continue;
    if (!asked.has(queryId)) {
      skippedWithoutText += 1;
      continue;
    }
    queries += 1;
    const ranking = (run.get(queryId) ?? []).map((hit) => hit.documentId);
    const gainAt = (rank: number) => judgments.get(ranking[rank]!) ?? 0;
    const dcg = (gains: number[]) => gains.slice(0, 10).reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
    const ideal = dcg(relevant.map(([, grade]) => grade).sort((a, b) => b - a));
    totals.ndcgAt10 += dcg(ranking.slice(0, 10).map((_, i) => gainAt(i))) / ideal;
    const found = (k: number) => ranking.slice(0, k).filter((id) => (judgments.get(id) ?? 0) > 0).length / relevant.length;
    totals.recallAt10 += found(10);
    totals.recallAt100 += found(100);
    const firstRelevant = ranking.slice(0, 10).findIndex((id) => (judgments.get(id) ?? 0) > 0);
    totals.mrrAt10 += firstRelevant >= 0 ? 1 / (firstRelevant + 1) : 0;
  }
  const mean = (value: number) => (queries ? Math.round((value / queries) * 10_000) / 10_000 : 0);
  return {
    ndcgAt10: mean(totals.ndcgAt10),
    recallAt10: mean(totals.recallAt10),
    recallAt100: mean(totals.recallAt100),
    mrrAt10: mean(totals.mrrAt10),
    queries,
    skippedWithoutText,
  };
}

/** TREC run format: `qid Q0 docid rank score tag`, one line per ranked document. */
export function formatTrecRun(run: Map<string, RankedDocument[]>, tag = 'tapeout'): string {
  const lines: string[] = [];
  for (const [queryId, ranking] of run)
    ranking.forEach((hit, i) => lines.push(`${queryId} Q0 ${hit.documentId} ${i + 1} ${hit.score.toFixed(6)} ${tag}`));
  return `${lines.join('\n')}\n`;
}
