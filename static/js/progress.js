// Draws the progress charts from the JSON the page embeds (#progress-data) with Chart.js
// (static/vendor/chartjs). The same numbers are in the page's tables, which stay open when
// this script or Chart.js cannot run.
(() => {
  "use strict";
  const { gettext, l10n } = window; // the catalog and the formats (base.html loads them first)
  const source = document.getElementById("progress-data");
  if (!source || typeof window.Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const Chart = window.Chart;
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  const palette = {
    brand: color("--brand"),
    accent: color("--accent"),
    muted: color("--muted"),
    line: color("--line"),
    ink: color("--ink"),
  };
  // One colour per correction kind (grammar, vocabulary, pronunciation, register).
  const kindColors = [palette.brand, palette.accent, "#7c3aed", "#ca8a04"];

  const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  Chart.defaults.animation = reducedMotion.matches ? false : { duration: 400 };
  Chart.defaults.color = palette.muted;
  Chart.defaults.borderColor = palette.line;
  Chart.defaults.font.family = css.getPropertyValue("--font").trim() || "system-ui, sans-serif";
  Chart.defaults.maintainAspectRatio = false;
  // Ticks and tooltips' numbers in the page's language (Chart.js formats them with Intl).
  Chart.defaults.locale = l10n.lang;
  // The server sends days as "2026-12-05": named here in the page's language.
  const dayNames = (dates, options) => dates.map((iso) => l10n.day(iso, options));
  const dayLabels = dayNames(data.days.dates, { weekday: "short", day: "numeric", month: "short" });
  const weekLabels = dayNames(data.weeks.dates, { day: "numeric", month: "short" });
  Chart.defaults.plugins.legend.labels.boxWidth = 14;

  const charts = [];
  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas) return;
    charts.push(new Chart(canvas, config));
    const table = canvas.closest("figure").querySelector("details.chart-table");
    if (table) table.open = false; // the chart is drawn; the numbers stay one click away
  }
  const yAxis = (title, extra = {}) => ({
    beginAtZero: true,
    title: { display: true, text: title },
    ...extra,
  });

  // Minutes spoken per period (days or weeks), one bar each.
  const minutesBars = (id, periods, labels, colour) =>
    draw(id, {
      type: "bar",
      data: {
        labels,
        datasets: [{ label: gettext("Minutes"), data: periods.minutes, backgroundColor: colour, borderRadius: 4 }],
      },
      options: { plugins: { legend: { display: false } }, scales: { y: yAxis(gettext("minutes")) } },
    });

  minutesBars("chart-days", data.days, dayLabels, palette.brand);
  minutesBars("chart-weeks", data.weeks, weekLabels, palette.accent);

  draw("chart-pace", {
    type: "line",
    data: {
      labels: weekLabels,
      datasets: [
        { label: gettext("Words per minute"), data: data.weeks.wpm, borderColor: palette.brand, backgroundColor: palette.brand, yAxisID: "y", spanGaps: true, cubicInterpolationMode: "monotone" },
        { label: gettext("Your share of the talk (%)"), data: data.weeks.share, borderColor: palette.accent, backgroundColor: palette.accent, yAxisID: "share", spanGaps: true, cubicInterpolationMode: "monotone", borderDash: [6, 4] },
      ],
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: {
        y: yAxis(gettext("words per minute")),
        // Translators: a percent sign, not a placeholder. xgettext:no-javascript-format
        share: yAxis(gettext("% of the talk"), { position: "right", max: 100, grid: { drawOnChartArea: false } }),
      },
    },
  });

  draw("chart-corrections", {
    type: "bar",
    data: {
      labels: weekLabels,
      datasets: Object.entries(data.weeks.per100).map(([kind, values], i) => ({
        label: kind,
        data: values,
        backgroundColor: kindColors[i % kindColors.length],
      })),
    },
    options: {
      interaction: { mode: "index", intersect: false },
      scales: { x: { stacked: true }, y: yAxis(gettext("per 100 words"), { stacked: true }) },
    },
  });

  draw("chart-levels", {
    type: "bar",
    data: {
      labels: data.levels.labels,
      datasets: [{ label: gettext("Topics"), data: data.levels.topics, backgroundColor: palette.accent, borderRadius: 4 }],
    },
    options: {
      plugins: { legend: { display: false } },
      scales: { y: yAxis(gettext("topics"), { ticks: { precision: 0 } }) },
    },
  });

  // Follow a change of the motion preference without reloading.
  reducedMotion.addEventListener("change", (event) => {
    for (const chart of charts) {
      chart.options.animation = event.matches ? false : { duration: 400 };
      chart.update("none");
    }
  });
})();
