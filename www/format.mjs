// Figures in the reader's locale and the site's time zone, without DOM (tested under Node).
// Amounts are the engine's decimal strings: `Intl` supplies only the locale's signs, grouping and
// currency placement, and the digits are the string's own (through BigInt), so nothing is rounded.
// Dates follow WordPress's date and time formats (PHP `date()` letters) in the site's zone.

const FIXED_OFFSET = /^([+-])(\d{2}):?(\d{2})$/;

/** Minutes east of UTC of `timeZone` (an IANA name, `UTC`, or `+05:30`) at the instant `ms`. */
export function zoneOffsetMinutes(ms, timeZone) {
  const fixed = FIXED_OFFSET.exec(timeZone);
  if (fixed) return (fixed[1] === "-" ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
  if (timeZone === "UTC" || timeZone === "Z") return 0;
  const p = wallParts(ms, timeZone);
  return Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000) / 60000);
}

const partFormats = new Map();
function wallParts(ms, timeZone) {
  let f = partFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
    partFormats.set(timeZone, f);
  }
  const out = {};
  for (const { type, value } of f.formatToParts(ms)) if (type !== "literal") out[type] = Number(value);
  return out;
}

/** The wall clock in `timeZone` at `ms`: `{year, month (1-12), day, hour, minute, second, weekday (0 = Sunday), offset}`. */
export function wallClock(ms, timeZone) {
  const offset = zoneOffsetMinutes(ms, timeZone);
  const d = new Date(ms + offset * 60000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), weekday: d.getUTCDay(), offset };
}

const pad = (n, width = 2) => String(Math.abs(n)).padStart(width, "0");
const offsetText = (minutes, colon = true) => `${minutes < 0 ? "-" : "+"}${pad(Math.trunc(Math.abs(minutes) / 60))}${colon ? ":" : ""}${pad(Math.abs(minutes) % 60)}`;

/** ISO-8601 with the zone's offset at that instant: `2026-03-01T00:00:00-05:00`. */
export function isoInZone(ms, timeZone) {
  const w = wallClock(ms, timeZone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}${offsetText(w.offset)}`;
}

/**
 * The instant of a wall-clock time in `timeZone` (`date` "2026-01-31", `time` "00:00" or
 * "00:00:00"), as ISO-8601 with its offset. A time skipped by a DST change moves forward with it;
 * a repeated one is the first (earlier) of the two, as PHP's DateTime does.
 */
export function wallToIso(date, time, timeZone) {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi, s = 0] = (time || "00:00").split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (!Number.isFinite(wall)) throw new RangeError(`not a date and time: ${date} ${time}`);
  const before = zoneOffsetMinutes(wall - 86_400_000, timeZone);
  const after = zoneOffsetMinutes(wall + 86_400_000, timeZone);
  // Try the earlier offset first (the first of a repeated hour), then the later one.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const ms = wall - offset * 60000;
    if (zoneOffsetMinutes(ms, timeZone) === offset) return isoInZone(ms, timeZone);
  }
  return isoInZone(wall - before * 60000, timeZone); // inside a gap: moved forward by the change, as PHP does
}

/** `"2026-03-01T00:00:00-05:00"` → `{date: "2026-03-01", time: "00:00"}` as the zone's wall clock. */
export function isoToWall(iso, timeZone) {
  const w = wallClock(Date.parse(iso), timeZone);
  return { date: `${w.year}-${pad(w.month)}-${pad(w.day)}`, time: `${pad(w.hour)}:${pad(w.minute)}` };
}

const names = new Map();
function localNames(locale) {
  let n = names.get(locale);
  if (!n) {
    const at = (options, i, month) => new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" }).format(month ? Date.UTC(2001, i, 15) : Date.UTC(2001, 0, 7 + i));
    n = {
      month: Array.from({ length: 12 }, (_, i) => at({ month: "long" }, i, true)),
      monthShort: Array.from({ length: 12 }, (_, i) => at({ month: "short" }, i, true)),
      day: Array.from({ length: 7 }, (_, i) => at({ weekday: "long" }, i, false)),
      dayShort: Array.from({ length: 7 }, (_, i) => at({ weekday: "short" }, i, false)),
      am: new Intl.DateTimeFormat(locale, { hour: "numeric", hour12: true, timeZone: "UTC" }).formatToParts(Date.UTC(2001, 0, 1, 9)).find((p) => p.type === "dayPeriod")?.value ?? "am",
      pm: new Intl.DateTimeFormat(locale, { hour: "numeric", hour12: true, timeZone: "UTC" }).formatToParts(Date.UTC(2001, 0, 1, 21)).find((p) => p.type === "dayPeriod")?.value ?? "pm",
    };
    names.set(locale, n);
  }
  return n;
}

function zoneAbbreviation(ms, timeZone, offset) {
  if (FIXED_OFFSET.test(timeZone)) return `GMT${offsetText(offset, false)}`; // as PHP writes it
  const name = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" }).formatToParts(ms).find((p) => p.type === "timeZoneName")?.value;
  return name && !name.startsWith("GMT") ? name : offsetText(offset);
}

const suffix = (d) => (d % 10 === 1 && d !== 11 ? "st" : d % 10 === 2 && d !== 12 ? "nd" : d % 10 === 3 && d !== 13 ? "rd" : "th");

/**
 * An instant in a PHP `date()` format (WordPress's `date_format` / `time_format`, e.g. `F j, Y` and
 * `g:i a`), in `timeZone`, with month and day names in `locale`. Backslash escapes a letter.
 */
export function phpDate(format, ms, timeZone, locale = "en-US") {
  const w = wallClock(ms, timeZone);
  const n = localNames(locale);
  const h12 = w.hour % 12 || 12;
  const letters = {
    d: () => pad(w.day), j: () => String(w.day), S: () => suffix(w.day),
    D: () => n.dayShort[w.weekday], l: () => n.day[w.weekday], N: () => String(w.weekday || 7), w: () => String(w.weekday),
    F: () => n.month[w.month - 1], M: () => n.monthShort[w.month - 1], m: () => pad(w.month), n: () => String(w.month),
    t: () => String(new Date(Date.UTC(w.year, w.month, 0)).getUTCDate()), L: () => (new Date(Date.UTC(w.year, 1, 29)).getUTCDate() === 29 ? "1" : "0"),
    Y: () => String(w.year), y: () => pad(w.year % 100),
    a: () => (w.hour < 12 ? n.am : n.pm).toLowerCase(), A: () => (w.hour < 12 ? n.am : n.pm).toUpperCase(),
    g: () => String(h12), h: () => pad(h12), G: () => String(w.hour), H: () => pad(w.hour),
    i: () => pad(w.minute), s: () => pad(w.second),
    e: () => timeZone, T: () => zoneAbbreviation(ms, timeZone, w.offset),
    P: () => offsetText(w.offset), O: () => offsetText(w.offset, false),
    c: () => isoInZone(ms, timeZone), U: () => String(Math.floor(ms / 1000)),
  };
  let out = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === "\\" && i + 1 < format.length) out += format[++i];
    else out += letters[c] ? letters[c]() : c;
  }
  return out;
}

const numberFormats = new Map();
function numberFormat(locale, currency) {
  const key = `${locale}|${currency ?? ""}`;
  let f = numberFormats.get(key);
  if (!f) {
    let nf;
    try {
      nf = new Intl.NumberFormat(locale, currency ? { style: "currency", currency, maximumFractionDigits: 0, minimumFractionDigits: 0 } : { maximumFractionDigits: 0 });
    } catch {
      nf = null; // not a currency code Intl knows ("points"): the plain number with its units
    }
    const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal")?.value ?? ".";
    const digits = new Intl.NumberFormat(locale, { useGrouping: false }).format(1234567890).split("");
    const zeroToNine = [digits[9], ...digits.slice(0, 9)];
    f = { nf, decimal, zeroToNine };
    numberFormats.set(key, f);
  }
  return f;
}

/**
 * An exact decimal string in the locale: `money("-1234.50", "USD", "de-DE")` → `-1.234,50 $`.
 * Units that are not a currency code are written after the number (`120 points`). Text that is
 * not a decimal number is returned as it is.
 */
export function money(amount, units, locale = "en-US") {
  const text = String(amount ?? "");
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) return text;
  const currency = /^[A-Z]{3}$/.test(units ?? "") ? units : null;
  const f = numberFormat(locale, currency);
  const fallback = currency && !f.nf ? numberFormat(locale, null) : f;
  const fraction = m[3] ? fallback.decimal + m[3].replace(/\d/g, (d) => fallback.zeroToNine[d]) : "";
  const parts = (f.nf ?? fallback.nf).formatToParts(m[1] ? -BigInt(m[2]) : BigInt(m[2]));
  let out = "";
  for (const p of parts) {
    out += p.value;
    if (p.type === "integer" && parts.findLast((q) => q.type === "integer") === p) out += fraction;
  }
  return currency && f.nf ? out : `${out}${units ? ` ${units}` : ""}`;
}

/** A whole number (points, counts) in the locale. */
export function number(n, locale = "en-US") {
  return numberFormat(locale, null).nf.format(n);
}
