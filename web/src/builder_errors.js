// builder_errors.js - why the server refused a scenario, in the page's language and on the
// field it is about. The server names the JSON path of every mistake in English
// ("layers[1].filter: no property 'kind'"); the form's controls carry the same paths
// (data-path), so a refusal lands on its field. The server's own words stay in the message's
// tooltip, and inline in English.
import { t } from './i18n.js';

// The reason's key in i18n.js, from the server's wording (the common causes; others are
// "the server did not accept this value").
const REASONS = [
  [/^required$/, 'reasonRequired'],
  [/expected an id/, 'reasonSlug'],
  [/characters|too long|longer/, 'reasonLength'],
  [/outside the extent|out of range/, 'reasonOutside'],
  [/minimum .* below the maximum/, 'reasonExtentOrder'],
  [/no layer/, 'reasonNoLayer'],
  [/no featured statistic/, 'reasonNoStatistic'],
  [/also the id of/, 'reasonDuplicateKind'],
  [/colour/, 'reasonColour'],
  [/property|queryable|CQL2|filter/i, 'reasonFilter'],
];

// { path, reason } of a server description "path: why" ("top level: ..." has no path).
export function splitDescription(description) {
  const m = /^([A-Za-z_][\w.[\]-]*|top level): (.*)$/s.exec(description || '');
  if (!m) {
    return { path: '', why: description || '' };
  }
  return { path: m[1] === 'top level' ? '' : m[1], why: m[2] };
}

export function reasonText(lang, why) {
  const hit = REASONS.find(([re]) => re.test(why));
  return t(lang, hit ? hit[1] : 'reasonOther');
}

// The control whose data-path is path or its longest prefix ("layers[1].filter" for
// "layers[1].filter.args"), inside form; null when none.
export function controlFor(form, path) {
  const controls = [...form.querySelectorAll('[data-path]')];
  let best = null;
  for (const c of controls) {
    const p = c.dataset.path;
    const isPrefix = path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`);
    if (isPrefix && (!best || p.length > best.dataset.path.length)) {
      best = c;
    }
  }
  return best;
}
