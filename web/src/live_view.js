// live_view.js - the projector view of a workshop (/map/#scn=ID&live): beside the map, in
// large type, how many sketches there are by kind and by group, and the participants' notes
// newest first, filtered by kind or group; it follows every change the live feed brings.
// With a facilitator's token, the moderation desk too: sketches waiting for approval (approve
// or hide), hidden ones (show again), and the history of changes with "restore" for a
// deleted or overwritten sketch.
import { apiUrl, getJson } from './api.js';
import { facilitatorHeaders, facilitatorToken } from './facilitator_token.js';
import { t } from './i18n.js';
import { button, el } from './dom.js';

const DESK_POLL_MS = 4000; // pending sketches are not in the public feed: the desk asks
const HISTORY_SHOWN = 40;
const HISTORY_PAGES = 20; // of 500 entries: the desk reads at most this much history

export class LiveView {
  // isProjector: the room's screen (large type); false on a participant's phone.
  constructor(scenarios, { isProjector = true } = {}) {
    this.scenarios = scenarios;
    this.isProjector = isProjector;
    this.kind = '';
    this.group = '';
    this.groupTitles = new Map();
    this.timer = null;
    if (isProjector) {
      document.body.classList.add('is-live');
    }
  }

  get lang() {
    return this.scenarios.lang;
  }

  stop() {
    clearInterval(this.timer);
    document.body.classList.remove('is-live');
  }

  groupTitle(id) {
    const title = this.groupTitles.get(id);
    return title ? title[this.lang] || title.en : id;
  }

  panel(lang) {
    const box = el('section', 'live-view');
    box.id = 'live-view';
    box.setAttribute('aria-live', 'polite');
    this.total = el('p', 'live-total');
    this.total.id = 'live-total';
    this.byKind = el('ul', 'live-counts');
    this.byKind.id = 'live-by-kind';
    this.byGroup = el('ul', 'live-counts');
    this.byGroup.id = 'live-by-group';
    this.kindSelect = el('select');
    this.kindSelect.id = 'live-kind';
    this.groupSelect = el('select');
    this.groupSelect.id = 'live-group';
    this.kindSelect.addEventListener('change', () => {
      this.kind = this.kindSelect.value;
      this.update();
    });
    this.groupSelect.addEventListener('change', () => {
      this.group = this.groupSelect.value;
      this.update();
    });
    const filters = el('div', 'live-filters');
    for (const [key, select] of [['sketchKind', this.kindSelect], ['sketchGroup', this.groupSelect]]) {
      const label = el('label', 'form-field', t(lang, key));
      label.append(select);
      filters.append(label);
    }
    this.notes = el('ol', 'live-notes');
    this.notes.id = 'live-notes';
    box.append(this.total, el('h3', null, t(lang, 'byKind')), this.byKind, el('h3', null, t(lang, 'byGroup')), this.byGroup,
      el('h3', null, t(lang, 'notesNewest')), filters, this.notes);
    if (facilitatorToken()) {
      box.append(this.desk(lang));
      this.loadGroupTitles();
    }
    this.update();
    return box;
  }

  // The group titles of the scenario's sessions (ids otherwise).
  async loadGroupTitles() {
    try {
      const doc = await getJson(apiUrl(`scenarios/${encodeURIComponent(this.scenarios.current)}/sessions`), null, undefined, facilitatorHeaders(false));
      for (const s of doc.sessions || []) {
        (s.groups || []).forEach((g) => this.groupTitles.set(g.id, g.title));
      }
      this.update();
    } catch {
      // the counts keep the group ids
    }
  }

  // Counts and notes from the scenario's sketches as they are now.
  update() {
    if (!this.total) {
      return;
    }
    const lang = this.lang;
    const features = this.scenarios.sketchFeatures || [];
    this.total.textContent = `${features.length} ${t(lang, 'sketchCount')}`;
    this.total.dataset.count = String(features.length);
    const count = (key) => features.reduce((m, f) => m.set(f.properties[key] || '', (m.get(f.properties[key] || '') || 0) + 1), new Map());
    const kinds = count('kind');
    const groups = count('group_name');
    this.byKind.replaceChildren();
    for (const k of this.scenarios.kinds()) {
      const li = el('li');
      li.dataset.kind = k.id;
      li.dataset.count = String(kinds.get(k.id) || 0);
      const sw = el('span', 'swatch swatch-circle');
      sw.style.setProperty('--swatch', k.color);
      li.append(sw, el('span', 'live-label', k.title[lang] || k.id), el('strong', null, String(kinds.get(k.id) || 0)));
      this.byKind.append(li);
    }
    this.byGroup.replaceChildren();
    for (const [id, n] of [...groups].sort((a, b) => b[1] - a[1])) {
      const li = el('li');
      li.dataset.group = id;
      li.dataset.count = String(n);
      li.append(el('span', 'live-label', id ? this.groupTitle(id) : t(lang, 'noGroup')), el('strong', null, String(n)));
      this.byGroup.append(li);
    }
    this.fillSelect(this.kindSelect, this.scenarios.kinds().map((k) => [k.id, k.title[lang] || k.id]), this.kind);
    this.fillSelect(this.groupSelect, [...groups.keys()].filter(Boolean).map((id) => [id, this.groupTitle(id)]), this.group);
    const shown = features
      .filter((f) => f.properties.note && (!this.kind || f.properties.kind === this.kind) && (!this.group || f.properties.group_name === this.group))
      .sort((a, b) => String(b.properties.created_at).localeCompare(String(a.properties.created_at)) || b.properties.sketch_id - a.properties.sketch_id);
    this.notes.replaceChildren();
    for (const f of shown) {
      const p = f.properties;
      const kind = this.scenarios.kindOf(p.kind);
      const li = el('li', 'live-note');
      li.dataset.sketch = String(p.sketch_id);
      li.style.setProperty('--swatch', kind.color);
      li.append(el('p', 'live-note-text', p.note),
        el('p', 'live-note-meta', [kind.title[lang] || kind.id, p.group_name ? this.groupTitle(p.group_name) : '', p.created_by].filter(Boolean).join(' · ')));
      this.notes.append(li);
    }
  }

  fillSelect(select, options, value) {
    select.replaceChildren(new Option(t(this.lang, 'all'), ''), ...options.map(([id, text]) => new Option(text, id)));
    select.value = options.some(([id]) => id === value) ? value : '';
  }

  // The facilitator's desk: waiting and hidden sketches, and the history.
  desk(lang) {
    const box = el('details', 'live-desk');
    box.id = 'live-desk';
    box.append(el('summary', null, t(lang, 'moderation')));
    this.deskMessage = el('p', 'editor-message');
    this.deskMessage.id = 'desk-message';
    this.deskMessage.setAttribute('role', 'alert');
    this.pending = el('ul', 'desk-list');
    this.pending.id = 'desk-pending';
    this.hidden = el('ul', 'desk-list');
    this.hidden.id = 'desk-hidden';
    this.history = el('ol', 'desk-list');
    this.history.id = 'desk-history';
    box.append(this.deskMessage, el('h4', null, t(lang, 'pendingSketches')), this.pending, el('h4', null, t(lang, 'hiddenSketches')), this.hidden,
      el('h4', null, t(lang, 'history')), this.history);
    box.addEventListener('toggle', () => {
      clearInterval(this.timer);
      if (box.open) {
        this.loadDesk();
        this.timer = setInterval(() => this.loadDesk(), DESK_POLL_MS);
      }
    });
    return box;
  }

  sketchesUrl(suffix = '') {
    return apiUrl(`scenarios/${encodeURIComponent(this.scenarios.current)}/sketches${suffix}`);
  }

  async loadDesk() {
    const lang = this.lang;
    let all;
    let history = [];
    try {
      all = await getJson(this.sketchesUrl(), null, undefined, facilitatorHeaders(false));
      let after = 0;
      for (let page = 0; page < HISTORY_PAGES; page += 1) {
        const doc = await getJson(apiUrl(`scenarios/${encodeURIComponent(this.scenarios.current)}/history`, { after, limit: 500 }), null, undefined, facilitatorHeaders(false));
        history = history.concat(doc.history || []).slice(-HISTORY_SHOWN);
        if (!doc.next_after || !(doc.history || []).length || doc.history.length < 500) {
          break;
        }
        after = doc.next_after;
      }
    } catch (e) {
      this.deskMessage.textContent = `${t(lang, 'loadFailed')}: ${e.message}`;
      return;
    }
    const describe = (p) => [this.scenarios.kindOf(p.kind).title[lang], p.note, p.created_by].filter(Boolean).join(' · ');
    const list = (ul, status, actions) => {
      ul.replaceChildren();
      for (const f of (all.features || []).filter((x) => x.properties.status === status)) {
        const li = el('li');
        li.dataset.sketch = String(f.properties.sketch_id);
        li.append(el('span', null, describe(f.properties)));
        actions.forEach(([key, path]) => li.append(button(t(lang, key), () => this.act(f, path), path)));
        ul.append(li);
      }
      if (!ul.children.length) {
        ul.append(el('li', 'layer-status', t(lang, 'none')));
      }
    };
    list(this.pending, 'pending', [['approve', 'approve'], ['hide', 'hide']]);
    list(this.hidden, 'hidden', [['unhide', 'unhide']]);
    this.history.replaceChildren();
    for (const h of history.slice().reverse()) {
      const li = el('li');
      li.dataset.history = String(h.id);
      li.dataset.action = h.action;
      const what = h.before || h.after;
      li.append(el('span', null, `${new Date(h.at).toLocaleTimeString(lang === 'th' ? 'th-TH' : 'en-GB')} · ${t(lang, `action_${h.action}`)} · ${h.by || ''} · ${what ? describe(what.properties) : ''}`));
      if (h.before && ['delete', 'edit', 'hide'].includes(h.action)) {
        li.append(button(t(lang, 'restore'), () => this.restore(h), 'restore'));
      }
      this.history.append(li);
    }
  }

  async post(url, body) {
    let resp;
    try {
      resp = await fetch(url, { method: 'POST', headers: facilitatorHeaders(body !== undefined), body: body !== undefined ? JSON.stringify(body) : undefined });
    } catch (e) {
      this.deskMessage.textContent = `${t(this.lang, 'loadFailed')}: ${e.message}`;
      return false;
    }
    if (!resp.ok) {
      const answer = await resp.json().catch(() => null);
      this.deskMessage.textContent = `${t(this.lang, 'refusedOther')}: ${(answer && answer.description) || resp.status}`;
      return false;
    }
    return true;
  }

  async act(feature, action) {
    if (await this.post(this.sketchesUrl(`/${feature.properties.sketch_id}/${action}`))) {
      this.deskMessage.textContent = t(this.lang, `done_${action}`);
      await this.loadDesk();
    }
  }

  async restore(entry) {
    if (await this.post(this.sketchesUrl(`/${entry.sketch_id}/restore`), { history_id: entry.id, side: 'before' })) {
      this.deskMessage.textContent = t(this.lang, 'done_restore');
      await this.loadDesk();
    }
  }
}
