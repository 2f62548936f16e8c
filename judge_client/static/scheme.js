// The marking scheme on the pad: exact decimal arithmetic (BigInt fractions), so that
// 0.1 + 0.2 is 0.3 and "8.5 on a step of 1/2" is checked as the hub checks it.

function gcd(a, b) {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

function frac(n, d = 1n) {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return { n: n / g, d: d / g };
}

// "8.5", "-2", "1/2" (the API writes steps as fractions) → fraction, or null.
export function parse(text) {
  const s = String(text).trim().replace(",", ".");
  let m = /^(-?\d+)\/(\d+)$/.exec(s);
  if (m) return BigInt(m[2]) === 0n ? null : frac(BigInt(m[1]), BigInt(m[2]));
  m = /^(-?)(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === "" && !m[3])) return null;
  const digits = (m[2] || "0") + (m[3] || "");
  const n = BigInt(digits) * (m[1] ? -1n : 1n);
  return frac(n, 10n ** BigInt((m[3] || "").length));
}

const sub = (a, b) => frac(a.n * b.d - b.n * a.d, a.d * b.d);
const add = (a, b) => frac(a.n * b.d + b.n * a.d, a.d * b.d);
const cmp = (a, b) => {
  const x = a.n * b.d - b.n * a.d;
  return x < 0n ? -1 : x > 0n ? 1 : 0;
};

export function show(f) {
  if (f.d === 1n) return f.n.toString();
  // a terminating decimal when the denominator is 2^a·5^b, else 4 places
  let d = f.d;
  while (d % 2n === 0n) d /= 2n;
  while (d % 5n === 0n) d /= 5n;
  if (d === 1n) {
    let places = 0;
    let scaled = f;
    while (scaled.d !== 1n) {
      scaled = frac(scaled.n * 10n, scaled.d);
      places += 1;
    }
    const neg = scaled.n < 0n;
    const s = (neg ? -scaled.n : scaled.n).toString().padStart(places + 1, "0");
    return (neg ? "-" : "") + s.slice(0, -places) + "." + s.slice(-places);
  }
  return (Number(f.n) / Number(f.d)).toFixed(4);
}

const PASS = new Set(["pass", "true", "yes", "1"]);
const FAIL = new Set(["fail", "false", "no", "0"]);

export class Aspect {
  constructor(a, criterion) {
    this.id = a.id;
    this.name = a.name;
    this.type = a.type;
    this.criterion = criterion;
    this.panel = a.panel;
    this.low = parse(a.min);
    this.high = parse(a.high);
    this.step = parse(a.step);
    this.nominal = a.nominal == null ? null : parse(a.nominal);
    this.bands = (a.bands || []).map((b) => ({ within: parse(b.within), points: parse(b.points) }));
  }

  // Buttons instead of typing when there are few possible values (judgement 0–3, pass/fail).
  options() {
    if (this.type === "measurement") return ["pass", "fail"];
    if (!this.step || this.step.n === 0n) return null;
    const out = [];
    for (let x = this.low; cmp(x, this.high) <= 0 && out.length <= 6; x = add(x, this.step)) out.push(show(x));
    return out.length <= 6 ? out : null;
  }

  // The value as a button shows it ("1" and "pass" are the same measurement).
  canonical(value) {
    if (value == null) return null;
    const v = String(value).trim().toLowerCase();
    if (this.type === "measurement") return PASS.has(v) ? "pass" : FAIL.has(v) ? "fail" : v;
    const f = parse(v);
    return f ? show(f) : v;
  }

  // null when the value may be sent, else {code, args} for the message catalog.
  check(text) {
    const v = String(text).trim().toLowerCase();
    if (v === "") return { code: "empty" };
    if (this.type === "measurement" && (PASS.has(v) || FAIL.has(v))) return null;
    const x = parse(v);
    if (!x) return { code: "not_a_number" };
    if (cmp(x, this.low) < 0 || cmp(x, this.high) > 0) return { code: "out_of_range", args: [show(this.low), show(this.high)] };
    if (this.step && this.step.n !== 0n) {
      const k = sub(x, this.low);
      const q = frac(k.n * this.step.d, k.d * this.step.n);
      if (q.d !== 1n) return { code: "off_step", args: [show(this.step), show(this.low)] };
    }
    return null;
  }

  hint(t) {
    if (this.type === "measurement") return `${t("pass")} / ${t("fail")}`;
    const step = this.step && !(this.step.n === 1n && this.step.d === 1n) ? show(this.step) : "";
    if (this.type === "banded" && this.nominal) {
      const bands = this.bands.map((b) => `±${show(b.within)} → ${show(b.points)}`).join(", ");
      return t("banded", show(this.nominal), bands, step);
    }
    return t("range", show(this.low), show(this.high), step);
  }

  // Characters that can never be part of a value are refused as the judge types.
  static allowedChars(type) {
    return type === "measurement" ? /^[0-9a-z]*$/i : /^[0-9.,-]*$/;
  }
}

export function aspectsOf(program) {
  const out = new Map();
  for (const c of program.criteria) for (const a of c.aspects) out.set(a.id, new Aspect(a, c.id));
  return out;
}
