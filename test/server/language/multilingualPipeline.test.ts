import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import type { Principal } from '../../../server/auth/Principal.ts';
import { createOpenCollection, startTestRuntime, uploadAndWait, type TestRuntime } from '../../support/testRuntime.ts';
import { systemActor } from '../../../server/access/systemActor.ts';

type Cited = OpenAI.ChatCompletion & { citations: { index: number; title: string; snippet: string }[]; answer_mode: string };

/**
 * One chip-design guide per language (test/fixtures/languages), four sections each. The question
 * is worded differently from the passage it is about; the expected sentence is the one that
 * answers it, and the identifier sentence is found by its identifier alone.
 */
const cases = [
  {
    code: 'zh',
    question: '保持时间违例应该怎么修复？',
    section: '时序收敛',
    sentence: '保持时间违例在时钟树综合之后通过插入延迟单元来修复。',
    identifier: 'clk_div_en 由哪个单元驱动？',
    identifierSection: '低功耗设计',
  },
  {
    code: 'ja',
    question: 'ホールド違反はどうやって修正しますか？',
    section: 'タイミング収束',
    sentence: 'ホールド違反はクロックツリー合成の後に遅延セルを挿入して修正する。',
    identifier: 'clk_div_en とは何ですか？',
    identifierSection: '低消費電力',
  },
  {
    code: 'ko',
    question: '홀드 위반은 어떻게 수정합니까?',
    section: '타이밍 클로저',
    sentence: '홀드 위반은 클럭 트리 합성 이후에 지연 셀을 삽입하여 수정한다.',
    identifier: 'clk_div_en 신호는 무엇입니까?',
    identifierSection: '저전력 설계',
  },
  {
    code: 'ar',
    question: 'كيف تصلح مخالفات زمن الثبات؟',
    section: 'إغلاق التوقيت',
    sentence: 'تُصلح مخالفات زمن الثبات بإدراج خلايا تأخير بعد تركيب شجرة الساعة.',
    identifier: 'ما هي إشارة clk_div_en؟',
    identifierSection: 'التصميم منخفض الطاقة',
  },
  {
    code: 'he',
    question: 'איך מתקנים הפרות של זמן החזקה?',
    section: 'סגירת תזמון',
    sentence: 'הפרות זמן החזקה מתוקנות על ידי הוספת תאי השהיה לאחר סינתזת עץ השעון.',
    identifier: 'מהו האות clk_div_en?',
    identifierSection: 'תכנון בהספק נמוך',
  },
];

const everyone: Principal = { userId: null, email: null, role: 'member' };

describe('every language through the whole pipeline (upload, chunks, BM25 and vectors, cited answer)', () => {
  let runtime: TestRuntime;
  let client: OpenAI;
  const collectionIds = new Map<string, string>();

  before(async () => {
    runtime = await startTestRuntime({ SEED_DEMO: 'false' });
    client = new OpenAI({ baseURL: `${runtime.url}/v1`, apiKey: runtime.apiKey, maxRetries: 0 });
    for (const { code } of cases) {
      const id = await createOpenCollection(runtime, `guide-${code}`);
      collectionIds.set(code, id);
      await uploadAndWait(
        runtime,
        `guide-${code}`,
        `guide-${code}.md`,
        await readFile(new URL(`../../fixtures/languages/${code}.md`, import.meta.url), 'utf8'),
      );
      await runtime.services.assistants.create(systemActor, {
        slug: `helper-${code}`,
        name: `Helper ${code}`,
        systemPrompt: 'Answer from the sources.',
        collectionIds: [id],
      });
    }
  });
  after(() => runtime?.dispose());

  for (const language of cases) {
    describe(language.code, () => {
      it("detects the collection's language from its first document", async () => {
        const [collection] = await runtime.services.collections.list(
          { userId: null, email: null, role: 'admin' },
          collectionIds.get(language.code),
        );
        assert.equal(collection!.detectedLanguage, language.code);
        assert.equal(collection!.language, null);
      });

      it('ranks the passage that answers the question first', async () => {
        const passages = await runtime.services.retriever.retrieve(everyone, language.question, {
          collectionIds: [collectionIds.get(language.code)!],
        });
        assert.deepEqual(passages[0]?.headingPath.at(-1), language.section);
      });

      it('finds an identifier written inside the text exactly', async () => {
        const passages = await runtime.services.retriever.retrieve(everyone, language.identifier, {
          collectionIds: [collectionIds.get(language.code)!],
        });
        assert.deepEqual(passages[0]?.headingPath.at(-1), language.identifierSection);
        assert.match(passages[0]!.text, /clk_div_en/);
      });

      it('answers extractively with the sentence that answers it, cited', async () => {
        const completion = (await client.chat.completions.create({
          model: `helper-${language.code}`,
          messages: [{ role: 'user', content: language.question }],
        })) as Cited;
        assert.equal(completion.answer_mode, 'extractive');
        const answer = completion.choices[0]!.message.content!;
        const quoted = answer.indexOf(language.sentence);
        assert.ok(quoted >= 0, `the answer quotes "${language.sentence}": ${answer}`);
        const citation = Number(/^\s*\[(\d+)\]/.exec(answer.slice(quoted + language.sentence.length))?.[1]);
        assert.ok(
          completion.citations.find((c) => c.index === citation)?.snippet.includes(language.sentence.slice(0, 12)),
          'its citation is the passage it comes from',
        );
      });
    });
  }
});
