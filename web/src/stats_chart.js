// stats_chart.js - the statistics panel's charts (Chart.js, a chunk of its own loaded by
// import() when a statistic is first shown, so neither the first view nor the panel's
// code waits for it; hashed and precached like the rest of the bundle): the
// areas ranked by the mapped value, and for a "by type" statistic the categories of each
// area as stacked bars, so the parts are seen and not only their total. Areas without a
// value are listed by name as "no data", never drawn as a zero bar.
import { t, formatNumber } from './i18n.js';
import { paragraph } from './stats_area.js';

let Chart = null;
let chartLoading = null;

// Resolves once Chart.js is here; a failure is thrown, and asked for again next time.
export function loadCharts() {
  if (!chartLoading) {
    chartLoading = import('chart.js/auto').then(
      (m) => {
        Chart = m.Chart;
      },
      (e) => {
        chartLoading = null;
        throw e;
      },
    );
  }
  return chartLoading;
}

const MAX_BARS = 30;
// Okabe-Ito: categories told apart by colour-blind readers too.
const CATEGORY_COLORS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];

function figureFor(className, captionText, rows, describe) {
  const figure = document.createElement('figure');
  figure.className = `stats-chart ${className}`;
  const caption = document.createElement('figcaption');
  caption.textContent = captionText;
  const box = document.createElement('div');
  box.className = 'chart-box';
  box.style.height = `${Math.max(120, rows.length * 18 + 60)}px`;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', rows.map(describe).join(', '));
  box.append(canvas);
  figure.append(caption, box);
  return { figure, canvas };
}

const withUnit = (text, unit) => (unit ? `${text} (${unit})` : text);

// Returns { figure, chart } ranking the areas with a value of column, highest first.
export function rankingChart(features, column, unit, lang) {
  const rows = features
    .map((f) => f.properties)
    .filter((p) => typeof p[column] === 'number')
    .sort((a, b) => b[column] - a[column])
    .slice(0, MAX_BARS);
  const { figure, canvas } = figureFor('stats-ranking', withUnit(t(lang, 'ranking'), unit), rows,
    (p) => `${p.area_name} ${formatNumber(lang, p[column])}`);
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((p) => p.area_name),
      datasets: [{ data: rows.map((p) => p[column]), backgroundColor: rows.map((p) => p.color) }],
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => `${formatNumber(lang, ctx.raw)}${unit ? ' ' + unit : ''}` } },
      },
      scales: { y: { ticks: { autoSkip: false, font: { size: 11 } } } },
    },
  });
  return { figure, chart };
}

// The category names of a "by type" statistic, in the order the server lists them.
export function groupNames(features) {
  const names = [];
  for (const f of features) {
    for (const name of Object.keys(f.properties.groups || {})) {
      if (!names.includes(name)) {
        names.push(name);
      }
    }
  }
  return names;
}

// Returns { figure, chart }: one stacked bar per area, one colour per category.
export function groupsChart(features, unit, lang) {
  const names = groupNames(features);
  const total = (p) => names.reduce((s, n) => s + (typeof p.groups[n] === 'number' ? p.groups[n] : 0), 0);
  const rows = features
    .map((f) => f.properties)
    .filter((p) => p.groups && names.some((n) => typeof p.groups[n] === 'number'))
    .sort((a, b) => total(b) - total(a))
    .slice(0, MAX_BARS);
  const { figure, canvas } = figureFor('stats-groups', withUnit(t(lang, 'byType'), unit), rows,
    (p) => `${p.area_name}: ${names.map((n) => `${n} ${formatNumber(lang, p.groups[n])}`).join('; ')}`);
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: rows.map((p) => p.area_name),
      datasets: names.map((n, i) => ({
        label: n,
        data: rows.map((p) => (typeof p.groups[n] === 'number' ? p.groups[n] : null)),
        backgroundColor: CATEGORY_COLORS[i % CATEGORY_COLORS.length],
      })),
    },
    options: {
      indexAxis: 'y',
      animation: false,
      maintainAspectRatio: false,
      plugins: { legend: { display: true, position: 'top', labels: { boxWidth: 12, font: { size: 11 } } } },
      scales: { x: { stacked: true }, y: { stacked: true, ticks: { autoSkip: false, font: { size: 11 } } } },
    },
  });
  return { figure, chart };
}

// "No data: A, B" for the areas without a value of column, or null when every area has one.
export function noDataList(features, column, lang) {
  const names = features
    .map((f) => f.properties)
    .filter((p) => typeof p[column] !== 'number')
    .map((p) => p.area_name || String(p.area_id));
  if (names.length === 0) {
    return null;
  }
  return paragraph('stats-no-data', `${t(lang, 'noDataAreas')} (${formatNumber(lang, names.length)}): ${names.join(', ')}`);
}
