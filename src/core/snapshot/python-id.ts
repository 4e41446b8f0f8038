/**
 * The authors' id rule (data-spec §1.1: code "always applies str(...)" to an id):
 * a JSON number used as an id becomes the text Python's str() gives the value
 * json.loads makes of it. An integer literal is a Python int, printed with all its
 * digits (so 20-digit ids stay distinct); a literal with a fraction or exponent is a
 * float, printed as repr() does (shortest round-trip digits; `2269.0` stays "2269.0",
 * 1e16 is "1e+16", 1e-5 is "1e-05").
 */

/** str() of the value json.loads gives for the JSON number literal `literal`; undefined for inf (`1e999`). */
export function pythonStrOfJsonNumber(literal: string): string | undefined {
  if (!/[.eE]/.test(literal)) {
    // int: JSON grammar already rules out leading zeros and '+'
    return literal === '-0' ? '0' : literal;
  }
  const x = Number(literal);
  if (!Number.isFinite(x)) return undefined;
  return pythonFloatRepr(x);
}

/** Python's repr(float) (float_repr_style 'short'): fixed notation for 1e-4 <= |x| < 1e16, else exponent. */
export function pythonFloatRepr(x: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const sign = x < 0 ? '-' : '';
  // JS gives the same shortest round-trip digits: d.ddde±N
  const [mant, expText] = Math.abs(x).toExponential().split('e');
  const digits = mant.replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp).toString().padStart(2, '0');
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e}`;
  }
  const point = exp + 1; // digits before the decimal point
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}.0`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** True when `s` has a UTF-16 surrogate without its pair (not valid Unicode; UTF-8 cannot hold it). */
export function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return true;
  }
  return false;
}
