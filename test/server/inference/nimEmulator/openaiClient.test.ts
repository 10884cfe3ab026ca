import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { NimEmulator } from '../../../../server/inference/nimEmulator/NimEmulator.ts';

describe('the official openai client against the NIM emulator', () => {
  const emulator = new NimEmulator();
  let client: OpenAI;
  const context = '[1] Every clock-gating cell has a test enable tied to scan_en, so gated flops shift.';

  before(async () => {
    client = new OpenAI({ baseURL: await emulator.listen(), apiKey: 'not-needed', maxRetries: 0 });
  });
  after(() => emulator.close());

  it('lists the models', async () => {
    const models = await client.models.list();
    assert.deepEqual(
      models.data.map((model) => model.id),
      ['meta/llama-3.1-8b-instruct', 'nvidia/llama-3.2-nv-embedqa-1b-v2', 'nvidia/llama-3.2-nv-rerankqa-1b-v2'],
    );
  });

  it('accepts a chat completion grounded in the prompt', async () => {
    const completion = await client.chat.completions.create({
      model: 'meta/llama-3.1-8b-instruct',
      messages: [
        { role: 'system', content: context },
        { role: 'user', content: 'What is the test enable of a clock-gating cell tied to?' },
      ],
      temperature: 0.2,
      max_tokens: 200,
    });
    const answer = completion.choices[0]!.message.content!;
    assert.match(answer, /^\[emulated\] /);
    assert.match(answer, /scan_en.*\[1\]/);
    assert.doesNotMatch(answer, /What is the test enable/, 'the question is not part of the context');
    assert.equal(completion.choices[0]!.finish_reason, 'stop');
    assert.ok(completion.usage!.completion_tokens > 0);
  });

  it('streams the same answer token by token, with usage at the end', async () => {
    const request = {
      model: 'meta/llama-3.1-8b-instruct',
      messages: [
        { role: 'system' as const, content: context },
        { role: 'user' as const, content: 'What is the test enable tied to?' },
      ],
    };
    const whole = (await client.chat.completions.create(request)).choices[0]!.message.content;
    const stream = await client.chat.completions.create({ ...request, stream: true, stream_options: { include_usage: true } });
    let text = '';
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      chunks += 1;
      usage = chunk.usage ?? usage;
    }
    assert.equal(text, whole);
    assert.ok(chunks > 5, `${chunks} chunks`);
    assert.ok(usage && usage.completion_tokens > 0);
  });

  it('embeds queries and passages with input_type, as floats and as base64', async () => {
    const floats = await client.embeddings.create({
      model: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
      input: ['scan chains', 'clock gating'],
      encoding_format: 'float',
      // @ts-expect-error NIM's extension to the OpenAI request
      input_type: 'passage',
    });
    assert.equal(floats.data.length, 2);
    assert.equal(floats.data[0]!.embedding.length, 1024);
    // Unset encoding_format: the client asks for base64 and decodes it itself.
    const decoded = await client.embeddings.create({
      model: 'nvidia/llama-3.2-nv-embedqa-1b-v2',
      input: ['scan chains'],
      // @ts-expect-error NIM's extension to the OpenAI request
      input_type: 'passage',
    });
    decoded.data[0]!.embedding.forEach((value, i) => assert.ok(Math.abs(value - floats.data[0]!.embedding[i]!) < 1e-6));
  });

  it("gets NIM's validation error when input_type is missing", async () => {
    await assert.rejects(
      client.embeddings.create({ model: 'nvidia/llama-3.2-nv-embedqa-1b-v2', input: 'x', encoding_format: 'float' }),
      (error: InstanceType<typeof OpenAI.APIError>) => error.status === 422,
    );
  });
});
