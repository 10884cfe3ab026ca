/** Text made safe for HTML element content and double-quoted attributes (the documents connectors write for ingestion). */
export const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
