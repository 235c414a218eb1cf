import { diffArrays, diffWords } from 'diff';

export interface Piece { text: string; changed: boolean }
export interface SideBySide { before: Piece[]; after: Piece[]; changes: number }

// Japanese has no spaces between words: sentences and words come from the ICU segmenter for 'ja'
// (which also splits English correctly), never from whitespace.
const sentenceSegmenter = new Intl.Segmenter('ja', { granularity: 'sentence' });
const wordSegmenter = new Intl.Segmenter('ja', { granularity: 'word' });

/** Sentences, each line break kept in the sentence it ends, so that joining gives the text back. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/(?<=\n)/)) for (const s of sentenceSegmenter.segment(line)) out.push(s.segment);
  return out;
}

/**
 * Runs of the same kind joined. An empty changed piece stays: it marks where the other side
 * changed, so both sides keep the same unchanged stretches and can be shortened alike.
 */
function merge(pieces: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) {
    if (!p.text && !p.changed) continue;
    const last = out[out.length - 1];
    if (last && last.changed === p.changed) last.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

/**
 * Two texts side by side: sentences matched first, then inside a replaced run of sentences the
 * words, so a changed word is marked inside a sentence that otherwise stayed. `changes` counts the
 * runs of sentences that differ.
 */
export function sideBySide(before: string, after: string): SideBySide {
  const parts = diffArrays(sentences(before), sentences(after));
  const b: Piece[] = [];
  const a: Piece[] = [];
  let changes = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (!p.added && !p.removed) {
      const text = p.value.join('');
      b.push({ text, changed: false });
      a.push({ text, changed: false });
      continue;
    }
    changes++;
    const next = parts[i + 1];
    const removed = p.removed ? p : next?.removed ? next : undefined;
    const added = p.added ? p : next?.added ? next : undefined;
    if (removed && added) {
      i++;
      for (const w of diffWords(removed.value.join(''), added.value.join(''), { intlSegmenter: wordSegmenter })) {
        b.push({ text: w.added ? '' : w.value, changed: !!(w.removed || w.added) });
        a.push({ text: w.removed ? '' : w.value, changed: !!(w.removed || w.added) });
      }
    } else if (removed) {
      b.push({ text: removed.value.join(''), changed: true });
      a.push({ text: '', changed: true });
    } else if (added) {
      b.push({ text: '', changed: true });
      a.push({ text: added.value.join(''), changed: true });
    }
  }
  return { before: merge(b), after: merge(a), changes };
}
