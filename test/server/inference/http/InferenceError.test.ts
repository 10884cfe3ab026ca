import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorMessageOf, InferenceError } from '../../../../server/inference/http/InferenceError.ts';

describe('errorMessageOf reads every error shape inference servers send', () => {
  for (const [shape, body, message] of [
    ['OpenAI', { error: { message: 'model overloaded', type: 'server_error', code: 503 } }, 'model overloaded'],
    ['vLLM flat', { message: 'max_tokens is too large', type: 'BadRequestError', code: 400 }, 'max_tokens is too large'],
    [
      'NIM object',
      { object: 'error', message: 'The model `x` does not exist.', type: 'NotFoundError', code: 404 },
      'The model `x` does not exist.',
    ],
    ['FastAPI detail list', { detail: [{ loc: ['body', 'input_type'], msg: 'field required', type: 'missing' }] }, 'field required'],
    ['FastAPI detail string', { detail: 'Not authenticated' }, 'Not authenticated'],
    ['error string', { error: 'rate limited' }, 'rate limited'],
  ] as const) {
    it(shape, () => assert.equal(errorMessageOf(JSON.stringify(body)), message));
  }

  it('plain text and empty bodies', () => {
    assert.equal(errorMessageOf('upstream connect error'), 'upstream connect error');
    assert.equal(errorMessageOf(''), '(empty response)');
  });

  it('marks overload and server failures retryable, client mistakes not', () => {
    for (const status of [408, 429, 500, 502, 503, 504]) assert.equal(InferenceError.fromResponse('llm', status, '').retryable, true);
    for (const status of [400, 401, 404, 422]) assert.equal(InferenceError.fromResponse('llm', status, '').retryable, false);
  });
});
