/**
 * What a user may see of an answer while it streams: markers canonical and renumbered, markers
 * naming no passage removed, and nothing half-written: neither a trailing "[1" nor the start of
 * the refusal marker. The verified final text replaces it when the stream ends.
 */
import { dropMarkers, normalizeMarkers, partialMarkerLength, renumber } from './markers.js';
import { REFUSAL_MARKER } from './prompt.js';
import { withoutThinking } from '../../llm/thinking.js';

export function streamView(raw: string, passageCount: number): string {
  const head = raw.trimStart();
  if (head && head.length < 7 && '<think>'.startsWith(head)) return '';
  let text = withoutThinking(raw);
  const refusal = text.indexOf(REFUSAL_MARKER);
  if (refusal >= 0) text = text.slice(0, refusal);
  else text = text.slice(0, text.length - partialRefusalLength(text));
  text = text.slice(0, text.length - partialMarkerLength(text));
  text = dropMarkers(normalizeMarkers(text), (n) => n >= 1 && n <= passageCount);
  return renumber(text).text.trim();
}

/** Length of a trailing proper prefix of the refusal marker ("…N", "NO_AN"). */
function partialRefusalLength(text: string): number {
  for (let length = Math.min(REFUSAL_MARKER.length - 1, text.length); length > 0; length--) {
    if (REFUSAL_MARKER.startsWith(text.slice(-length))) return length;
  }
  return 0;
}
