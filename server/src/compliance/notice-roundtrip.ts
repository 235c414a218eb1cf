/**
 * Compares a generated notice with the notice as published, sentence by sentence: whether the inventory
 * says everything the organization published, in the same order, and nothing it did not.
 *
 * A sentence ends at 「。」 or at a line break. Both texts are normalized first (NFKC for full/half
 * width, all whitespace removed, Markdown markup and list bullets dropped), and sentences are looked up in
 * the other text as one stream, so that a table row flattened onto one line in the source matches the same
 * label and value set on two lines in the generated Markdown.
 */
export interface NoticeComparison {
  sourceSentences: number;
  generatedSentences: number;
  /** Share of the source's sentences found in the generated notice. */
  coverage: number;
  /** Share of the source's sentences found in the generated notice in the source's order. */
  orderAgreement: number;
  missing: string[];
  outOfOrder: string[];
  /** Generated sentences the source does not have (or has fewer times, or elsewhere). */
  extra: string[];
}

function plain(line: string): string {
  return line
    .normalize('NFKC')
    .replace(/^\s*#{1,6}\s+/, '')
    .replace(/^\s*(?:[-*+•]|\u2022)\s+/, '')
    .replace(/^\s*(?:[-*+•])\s+/, '')
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\*\*/g, '')
    .replace(/\s+/g, '');
}

export function noticeSentences(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(plain)
    .flatMap((l) => l.split(/(?<=。)/))
    .filter((s) => s.length > 0);
}

/** Finds each sentence of `of` in the stream of `within`: found at all, and found after the previous one. */
function walk(of: string[], within: string): { found: boolean[]; ordered: boolean[] } {
  const found: boolean[] = [];
  const ordered: boolean[] = [];
  let at = 0;
  for (const s of of) {
    found.push(within.includes(s));
    const i = within.indexOf(s, at);
    ordered.push(i >= 0);
    if (i >= 0) at = i + s.length;
  }
  return { found, ordered };
}

export function compareNotice(source: string, generated: string): NoticeComparison {
  const src = noticeSentences(source);
  const gen = noticeSentences(generated);
  const forward = walk(src, gen.join(''));
  const backward = walk(gen, src.join(''));
  const share = (xs: boolean[]) => (xs.length ? xs.filter(Boolean).length / xs.length : 1);
  return {
    sourceSentences: src.length,
    generatedSentences: gen.length,
    coverage: share(forward.found),
    orderAgreement: share(forward.ordered),
    missing: src.filter((_, i) => !forward.found[i]),
    outOfOrder: src.filter((_, i) => forward.found[i] && !forward.ordered[i]),
    extra: gen.filter((_, i) => !backward.ordered[i]),
  };
}
