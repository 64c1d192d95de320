/** Where an equals-ignore-case operand must sit in the value. */
export type IgnoreCaseAnchor = 'equals' | 'prefix' | 'suffix';

const ASCII = /^\p{ASCII}*$/u;

/**
 * Compiles an equals-ignore-case operand (plain, or under prefix/suffix) into a test of event strings,
 * exactly as EventBridge's engine (event-ruler's EqualsIgnoreCaseParser) does it.
 *
 * The operand is folded one UTF-16 code unit at a time: each unit becomes the choice between its
 * lower-case and its upper-case form (locale-independent full mappings), and the event string must be
 * a sequence of those choices; the event string itself is not folded. So `straße` matches `STRASSE`
 * (ß upper-cases to SS) but `STRASSE` does not match `straße`, `k` does not match the Kelvin sign,
 * and a title-case letter such as `ǅ` matches only `ǆ` or `Ǆ`. ASCII operands take a fast path.
 */
export function ignoreCaseMatcher(operand: string, anchor: IgnoreCaseAnchor): (value: string) => boolean {
  if (ASCII.test(operand)) {
    const lower = operand.toLowerCase();
    const n = operand.length;
    if (anchor === 'equals') return (v) => v.length === n && v.toLowerCase() === lower && ASCII.test(v);
    if (n === 0) return () => true;
    if (anchor === 'prefix') return (v) => v.length >= n && sameAscii(v.slice(0, n), lower);
    return (v) => v.length >= n && sameAscii(v.slice(v.length - n), lower);
  }
  let source = '';
  for (const unit of operand.split('')) {
    const choices = [...new Set([unit.toLowerCase(), unit.toUpperCase()])].map(escapeRegExp);
    source += choices.length === 1 ? choices[0] : `(?:${choices.join('|')})`;
  }
  const regex = new RegExp(anchor === 'equals' ? `^${source}$` : anchor === 'prefix' ? `^${source}` : `${source}$`);
  return (v) => regex.test(v);
}

function sameAscii(part: string, lower: string): boolean {
  return part.toLowerCase() === lower && ASCII.test(part);
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
