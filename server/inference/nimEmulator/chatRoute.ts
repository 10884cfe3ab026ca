import type { Request, Response } from 'express';
import { z } from 'zod';
import { sendError } from './errorShapes.ts';
import { actOutRequestFault, type Fault } from './faults.ts';
import { countTokens, groundedSummary } from './groundedSummary.ts';
import { sleep, type EmulatorStats, type NimEmulatorOptions } from './options.ts';

const content = z.union([z.string(), z.array(z.object({ type: z.literal('text'), text: z.string() }))]);
const chatRequest = z
  .object({
    model: z.string().min(1),
    messages: z.array(z.object({ role: z.enum(['system', 'user', 'assistant', 'tool']), content })).min(1),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().gt(0).max(1).optional(),
    max_tokens: z.number().int().min(1).optional(),
    stop: z.union([z.string(), z.array(z.string())]).optional(),
    seed: z.number().int().optional(),
    nvext: z.record(z.string(), z.unknown()).optional(),
  })
  .passthrough();

const textOf = (value: z.infer<typeof content>) => (typeof value === 'string' ? value : value.map((part) => part.text).join(''));

export function chatRoute(options: NimEmulatorOptions, takeFault: () => Fault | undefined, stats: EmulatorStats) {
  return async (req: Request, res: Response) => {
    stats.requests.chat += 1;
    const parsed = chatRequest.safeParse(req.body);
    if (!parsed.success) return sendError(res, 400, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const body = parsed.data;
    if (body.model !== options.llmModel) return sendError(res, 404, `The model \`${body.model}\` does not exist.`);
    if (body.nvext && options.nimVersion === 2) {
      return sendError(res, 400, 'nvext is not supported by this NIM version; pass extra parameters at the top level.');
    }
    const fault = takeFault();
    if (await actOutRequestFault(res, fault)) return;

    const questionIndex = body.messages.findLastIndex((m) => m.role === 'user');
    const question = questionIndex >= 0 ? textOf(body.messages[questionIndex]!.content) : '';
    // The context is everything but the question itself, so the question is never echoed back.
    const context = body.messages
      .filter((_m, i) => i !== questionIndex)
      .map((m) => textOf(m.content))
      .join('\n');
    let answer = groundedSummary(context, question);
    for (const stop of [body.stop ?? []].flat()) if (stop && answer.includes(stop)) answer = answer.slice(0, answer.indexOf(stop));
    const tokens = (answer.match(/\S+\s*/g) ?? []).slice(0, body.max_tokens ?? Infinity);
    const usage = {
      prompt_tokens: countTokens(context),
      completion_tokens: tokens.length,
      total_tokens: countTokens(context) + tokens.length,
    };
    const finishReason = body.max_tokens !== undefined && tokens.length >= body.max_tokens ? 'length' : 'stop';
    const id = `chatcmpl-emulated-${Date.now()}`;
    const created = Math.floor(Date.now() / 1000);
    await sleep(options.latencyMs);

    if (!body.stream) {
      return void res.json({
        id,
        object: 'chat.completion',
        created,
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: tokens.join('') }, finish_reason: finishReason }],
        usage,
      });
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (choices: unknown[], extra: object = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices, ...extra })}\n\n`);
    if (fault?.kind === 'slow-first-token') await sleep(fault.delayMs);
    send([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]);
    for (const [index, token] of tokens.entries()) {
      if (res.destroyed) return void (stats.abandonedStreams += 1);
      if (fault?.kind === 'cut-stream' && index === fault.afterTokens) return void (fault.graceful ? res.end() : res.destroy());
      send([{ index: 0, delta: { content: token }, finish_reason: null }]);
      await sleep(1000 / options.tokensPerSecond);
    }
    send([{ index: 0, delta: {}, finish_reason: finishReason }]);
    if (body.stream_options?.include_usage) send([], { usage });
    res.end('data: [DONE]\n\n');
  };
}
