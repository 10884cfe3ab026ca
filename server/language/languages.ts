/**
 * The languages Tapeout names a collection's text in: a BCP 47 code, franc-min's ISO 639-3 codes
 * for it, and the Postgres text-search configuration its words are stemmed with ('simple', no
 * stemming, where Postgres has no stemmer). Any script is indexed (server/language/searchTokens.ts);
 * the language only picks the stemmer and stop words, and whether the English sentence encoder
 * applies.
 */
export interface Language {
  code: string;
  franc: string[];
  textSearchConfig: string;
}

const table: [code: string, franc: string, textSearchConfig: string][] = [
  ['en', 'eng', 'english'],
  ['zh', 'cmn', 'simple'],
  ['ja', 'jpn', 'simple'],
  ['ko', 'kor', 'simple'],
  ['ar', 'arb', 'arabic'],
  ['he', 'heb', 'simple'],
  ['de', 'deu', 'german'],
  ['fr', 'fra', 'french'],
  ['es', 'spa', 'spanish'],
  ['pt', 'por', 'portuguese'],
  ['it', 'ita', 'italian'],
  ['nl', 'nld', 'dutch'],
  ['sv', 'swe', 'swedish'],
  ['da', 'dan', 'danish'],
  ['no', 'nob', 'norwegian'],
  ['fi', 'fin', 'finnish'],
  ['hu', 'hun', 'hungarian'],
  ['ro', 'ron', 'romanian'],
  ['tr', 'tur', 'turkish'],
  ['ru', 'rus', 'russian'],
  ['el', 'ell', 'greek'],
  ['id', 'ind', 'indonesian'],
  ['hi', 'hin', 'hindi'],
  ['ne', 'npi', 'nepali'],
  ['ta', 'tam', 'tamil'],
  ['lt', 'lit', 'lithuanian'],
  ['hy', 'hye', 'armenian'],
  ['eu', 'eus', 'basque'],
  ['ca', 'cat', 'catalan'],
  ['ga', 'gle', 'irish'],
  ['sr', 'srp', 'serbian'],
  ['et', 'est', 'estonian'],
  ['yi', 'yid', 'yiddish'],
  ['th', 'tha', 'simple'],
  ['vi', 'vie', 'simple'],
  ['pl', 'pol', 'simple'],
  ['cs', 'ces', 'simple'],
  ['uk', 'ukr', 'simple'],
  ['bg', 'bul', 'simple'],
  ['fa', 'pes', 'simple'],
  ['ur', 'urd', 'simple'],
  ['bn', 'ben', 'simple'],
  ['mr', 'mar', 'simple'],
  ['te', 'tel', 'simple'],
  ['kn', 'kan', 'simple'],
  ['ml', 'mal', 'simple'],
  ['gu', 'guj', 'simple'],
  ['pa', 'pan', 'simple'],
  ['ms', 'zlm', 'simple'],
  ['tl', 'tgl', 'simple'],
  ['sw', 'swh', 'simple'],
  ['hr', 'hrv', 'simple'],
  ['bs', 'bos', 'simple'],
  ['kk', 'kaz', 'simple'],
  ['be', 'bel', 'simple'],
  ['my', 'mya', 'simple'],
];

export const languages: readonly Language[] = table.map(([code, franc, textSearchConfig]) => ({ code, franc: [franc], textSearchConfig }));

const byCode = new Map(languages.map((language) => [language.code, language]));
const byFranc = new Map(languages.flatMap((language) => language.franc.map((code) => [code, language] as const)));

export function findLanguage(code: string): Language | undefined {
  return byCode.get(code);
}

/** The language franc-min names by an ISO 639-3 code, when Tapeout lists it. */
export function languageOfFrancCode(code: string): Language | undefined {
  return byFranc.get(code);
}

/** How a collection's words are stemmed: its language's configuration, 'simple' while none is known. */
export function textSearchConfigFor(code: string | null): string {
  return (code && byCode.get(code)?.textSearchConfig) || 'simple';
}

/**
 * The languages the bundled sentence encoder (embedded mode) was trained on: English only.
 * On an Arabic set (measured in issue 15) its vectors pulled retrieval below plain BM25.
 */
export const sentenceEncoderLanguages: readonly string[] = ['en'];

export function suitsSentenceEncoder(code: string | null): boolean {
  return code !== null && sentenceEncoderLanguages.includes(code);
}
