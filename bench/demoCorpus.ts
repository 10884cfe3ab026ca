/** Waits until every document of the demo corpus, ingested in the background at first start, is ready (or failed). */
export async function demoIngested(url: string, headers: Record<string, string>): Promise<void> {
  for (;;) {
    const { collections } = (await (await fetch(`${url}/api/collections`, { headers })).json()) as { collections: { slug: string }[] };
    const lists = await Promise.all(
      collections.map(
        async (c) =>
          ((await (await fetch(`${url}/api/collections/${c.slug}/documents`, { headers })).json()) as { documents: { status: string }[] })
            .documents,
      ),
    );
    const documents = lists.flat();
    if (documents.length > 0 && documents.every((d) => d.status === 'ready' || d.status === 'failed')) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}
