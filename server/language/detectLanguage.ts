import { franc } from 'franc-min';
import { findLanguage, languageOfFrancCode, languages, type Language } from './languages.ts';

/** franc's statistics are unreliable on fewer letters than this; more text than the sample is not needed. */
const minimumLetters = 16;
const sampleCharacters = 6000;
const francCodes = languages.flatMap((language) => language.franc);

/**
 * The language of a sample of a collection's text (franc-min, restricted to the languages
 * Tapeout lists), or undefined when the sample is too short or matches none. franc-min knows
 * no Hebrew, so a text mostly in Hebrew letters is named by its script.
 */
export function detectLanguage(sample: string): Language | undefined {
  const text = sample.slice(0, sampleCharacters);
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length < minimumLetters) return undefined;
  // Asked first: franc would judge Hebrew text by the few Latin words in it.
  const hebrew = letters.filter((letter) => /\p{Script=Hebrew}/u.test(letter)).length;
  if (hebrew * 2 > letters.length) return findLanguage('he');
  const code = franc(text, { only: francCodes, minLength: minimumLetters });
  return code === 'und' ? undefined : languageOfFrancCode(code);
}
