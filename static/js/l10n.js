// Numbers, durations, percentages, lists and dates in the interface language, for the page
// scripts: the browser's Intl with <html lang> (base.html sets it to the page's language), so
// a figure a script draws reads like the page around it (1,5 min in German, 45 % in French,
// 「A、B、C」 in Japanese). base.html loads it right after the catalog, before every page
// script; it shows no text of its own.
(() => {
  "use strict";
  const lang = document.documentElement.lang || "en";
  const made = new Map(); // Intl formatters are slow to make: one per kind and options
  const formatter = (Kind, options) => {
    const key = `${Kind.name}:${JSON.stringify(options)}`;
    if (!made.has(key)) made.set(key, new Kind(lang, options));
    return made.get(key);
  };
  const number = (value, options = {}) => formatter(Intl.NumberFormat, options).format(value);

  window.l10n = Object.freeze({
    lang,
    number,
    // Exactly `places` decimals (the server's |floatformat:places).
    decimal: (value, places = 1) =>
      number(value, { minimumFractionDigits: places, maximumFractionDigits: places }),
    // `fraction` 0..1 -> "45 %", "45%", "45 %"…
    percent: (fraction, places = 0) =>
      number(fraction, { style: "percent", maximumFractionDigits: places }),
    // A running clock, minutes and seconds ("12:05"; digits and separator of the language).
    clock: (seconds) => {
      const whole = Math.max(0, Math.floor(seconds));
      const minutes = number(Math.floor(whole / 60));
      return `${minutes}:${number(whole % 60, { minimumIntegerDigits: 2, useGrouping: false })}`;
    },
    // "A, B and C" / "A, B et C" / "A、B、C".
    list: (items) => formatter(Intl.ListFormat, { style: "long", type: "conjunction" }).format(items),
    // A day ("2026-12-05", as the server sends it) with Intl.DateTimeFormat options: "Sat 5 Dec",
    // "Sa., 5. Dez.", "12月5日(土)". Read and shown in UTC, so no time zone moves it a day.
    day: (iso, options) => formatter(Intl.DateTimeFormat, { ...options, timeZone: "UTC" }).format(new Date(iso)),
  });
})();
