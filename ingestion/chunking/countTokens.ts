import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

// cl100k_base ships inside the npm package (nothing is downloaded). Serving models tokenize
// differently; it is a close, stable measure for chunk budgets, not an exact count for every model.
const encoder = new Tiktoken(cl100k);

export function countTokens(text: string): number {
  return encoder.encode(text).length;
}
