import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * HTML published from inventory texts (the public notice and anything else rendered from
 * Markdown). The texts come from people with write access to the inventory, the readers are the
 * public: a Markdown link is enough to plant `javascript:` in a page a privacy team publishes, so
 * the output keeps only document structure and https/mailto links — no raw HTML, no images
 * (an external image is a tracking pixel), no `data:` or `javascript:` URLs.
 */
const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'del', 'code', 'pre', 'blockquote', 'hr', 'br', 'a', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  allowedAttributes: { a: ['href', 'title', 'rel'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  // Discarded tags keep their text; script and style lose their content too.
  disallowedTagsMode: 'discard',
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object'],
  transformTags: {
    // Only absolute https and mailto links: a relative one would resolve against wherever the
    // notice is published. Links leave the notice without a referrer or a handle on it.
    a: (tagName, { href, ...attribs }) => ({
      tagName,
      attribs: { ...attribs, ...(href && /^(https:\/\/|mailto:)/i.test(href) ? { href } : {}), rel: 'noopener noreferrer nofollow' },
    }),
  },
};

// Raw HTML in the Markdown is shown as text, not passed through (the sanitizer is the second line).
const markdown = new Marked({
  async: false,
  renderer: {
    html: ({ text }) => escapeHtml(text),
  },
});

export function escapeHtml(s: string): string {
  return String(s).replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** Markdown to HTML that is safe to publish. */
export function markdownToSafeHtml(md: string): string {
  return sanitizeHtml(markdown.parse(md) as string, SANITIZE);
}
