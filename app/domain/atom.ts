/**
 * A small Atom 1.0 (RFC 4287) writer: the few elements a notice feed needs, every text escaped, no
 * dependency (decision 017). Pure, so the escaping is unit-tested.
 */
export type AtomEntry = { id: string; title: string; updated: Date; published: Date; link: string; summary: string; categories: string[] };
export type AtomFeed = { id: string; title: string; subtitle: string; selfLink: string; alternateLink: string; updated: Date; language: string; entries: AtomEntry[] };

/** Escapes text for XML content and attribute values, and drops characters XML 1.0 forbids. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

export function atomXml(feed: AtomFeed): string {
  const e = xmlEscape;
  const entries = feed.entries.map(
    (entry) => `  <entry>
    <id>${e(entry.id)}</id>
    <title>${e(entry.title)}</title>
    <updated>${entry.updated.toISOString()}</updated>
    <published>${entry.published.toISOString()}</published>
    <link rel="alternate" type="text/html" href="${e(entry.link)}"/>
${entry.categories.map((category) => `    <category term="${e(category)}"/>`).join("\n")}
    <summary type="text">${e(entry.summary)}</summary>
  </entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${e(feed.language)}">
  <id>${e(feed.id)}</id>
  <title>${e(feed.title)}</title>
  <subtitle>${e(feed.subtitle)}</subtitle>
  <updated>${feed.updated.toISOString()}</updated>
  <link rel="self" type="application/atom+xml" href="${e(feed.selfLink)}"/>
  <link rel="alternate" type="text/html" href="${e(feed.alternateLink)}"/>
  <author><name>Xieshang</name></author>
${entries.join("\n")}
</feed>
`;
}
