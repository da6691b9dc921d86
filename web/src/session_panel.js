// session_panel.js - a facilitator opens a participation session on the current scenario:
// live (a room: sketches appear at once) or moderated (an open call: sketches wait for
// approval), an end, and the groups participants pick from. The answer is the short join
// code, the join link and its QR code (an SVG the server draws), and the projector view's
// link; open sessions can be closed from here, which stops joins and writes at once.
import { apiUrl, getJson } from './api.js';
import { facilitatorHeaders, facilitatorToken } from './facilitator_token.js';
import { formatDate, t } from './i18n.js';
import { button, el, labelled } from './dom.js';

const MAX_GROUPS = 50;

// An id for a group from its titles: Latin words of the English title, else its position.
function groupId(title, i) {
  const slug = String(title.en || '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug || `group-${i + 1}`;
}

export class SessionPanel {
  constructor(scenarios) {
    this.scenarios = scenarios;
    this.groups = [{ th: '', en: '' }];
    this.sessions = [];
  }

  get lang() {
    return this.scenarios.lang;
  }

  base() {
    return `scenarios/${encodeURIComponent(this.scenarios.current)}/sessions`;
  }

  // The facilitator's part of a scenario (only with a token: the sessions are theirs).
  panel(lang) {
    const box = el('details', 'session-panel');
    box.id = 'session-panel';
    box.open = this.isOpen || false;
    box.addEventListener('toggle', () => {
      this.isOpen = box.open;
      if (box.open) {
        this.loadSessions();
      }
    });
    box.append(el('summary', null, t(lang, 'participation')));
    this.box = box;
    this.message = el('p', 'editor-message');
    this.message.id = 'session-message';
    this.message.setAttribute('role', 'alert');
    if (!facilitatorToken()) {
      box.append(el('p', 'layer-status', t(lang, 'sessionNeedsToken')));
      return box;
    }
    box.append(this.form(lang), this.message);
    this.list = el('div', 'session-list');
    this.list.id = 'session-list';
    box.append(this.list);
    if (box.open) {
      this.loadSessions();
    }
    return box;
  }

  form(lang) {
    const form = el('form', 'session-form');
    form.id = 'session-form';
    const mode = el('select');
    mode.id = 'session-mode';
    mode.append(new Option(t(lang, 'modeLive'), 'live'), new Option(t(lang, 'modeModerated'), 'moderated'));
    const minutes = el('input');
    minutes.id = 'session-minutes';
    minutes.type = 'number';
    minutes.min = '1';
    minutes.max = '43200';
    minutes.value = '120';
    const groups = el('fieldset', 'builder-group');
    groups.append(el('legend', null, t(lang, 'sessionGroups')));
    const renderGroups = () => {
      groups.replaceChildren(el('legend', null, t(lang, 'sessionGroups')));
      this.groups.forEach((g, i) => {
        const row = el('div', 'session-group');
        for (const key of ['th', 'en']) {
          const input = el('input');
          input.className = `group-${key}`;
          input.maxLength = 200;
          input.value = g[key];
          input.placeholder = t(lang, key === 'th' ? 'groupTitleTh' : 'groupTitleEn');
          input.setAttribute('aria-label', `${t(lang, 'sessionGroup')} ${i + 1}: ${input.placeholder}`);
          input.addEventListener('input', () => {
            g[key] = input.value;
          });
          row.append(input);
        }
        row.append(button('×', () => {
          this.groups.splice(i, 1);
          renderGroups();
        }, 'remove-group'));
        groups.append(row);
      });
      if (this.groups.length < MAX_GROUPS) {
        groups.append(button(t(lang, 'addGroup'), () => {
          this.groups.push({ th: '', en: '' });
          renderGroups();
        }, 'add-group'));
      }
    };
    renderGroups();
    const submit = el('button', null, t(lang, 'openSession'));
    submit.type = 'submit';
    submit.dataset.action = 'open-session';
    form.append(labelled(t(lang, 'sessionMode'), mode), labelled(t(lang, 'sessionMinutes'), minutes), groups, submit);
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.open({ mode: mode.value, minutes: Number(minutes.value) });
    });
    return form;
  }

  say(text, isError) {
    this.message.textContent = text;
    this.message.classList.toggle('error', Boolean(isError));
  }

  async open({ mode, minutes }) {
    const lang = this.lang;
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 43200) {
      this.say(`${t(lang, 'sessionMinutes')}: ${t(lang, 'minutesRange')}`, true);
      return;
    }
    const groups = this.groups
      .filter((g) => g.th.trim() || g.en.trim())
      .map((g, i) => {
        const title = { th: g.th.trim() || g.en.trim(), en: g.en.trim() || g.th.trim() };
        return { id: groupId(title, i), title };
      });
    const ids = new Set();
    groups.forEach((g, i) => {
      while (ids.has(g.id)) {
        g.id = `${g.id}-${i + 1}`;
      }
      ids.add(g.id);
    });
    const resp = await this.write('POST', this.base(), { mode, minutes, groups });
    if (resp) {
      this.say(t(lang, 'sessionOpened'));
      await this.loadSessions();
    }
  }

  // One write; the answer's body when it succeeded, else null with the reason said.
  async write(method, path, body) {
    let resp;
    try {
      resp = await fetch(apiUrl(path), {
        method,
        headers: facilitatorHeaders(body !== undefined),
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e) {
      this.say(`${t(this.lang, 'loadFailed')}: ${e.message}`, true);
      return null;
    }
    const answer = await resp.json().catch(() => null);
    if (!resp.ok) {
      const words = (answer && (this.lang === 'th' && answer.description_th ? answer.description_th : answer.description)) || `HTTP ${resp.status}`;
      const lead = resp.status === 401 || resp.status === 403 ? t(this.lang, 'tokenRefused') : t(this.lang, 'sessionRefused');
      this.say(`${lead} ${words}`, true);
      return null;
    }
    return answer || {};
  }

  async loadSessions() {
    if (!this.list || !facilitatorToken()) {
      return;
    }
    let doc;
    try {
      doc = await getJson(apiUrl(this.base()), null, undefined, facilitatorHeaders(false));
    } catch (e) {
      this.say(`${t(this.lang, 'loadFailed')}: ${e.message}`, true);
      return;
    }
    this.sessions = doc.sessions || [];
    this.renderSessions();
  }

  // The open sessions first, each with its code, link, QR code and projector link.
  renderSessions() {
    const lang = this.lang;
    this.list.replaceChildren();
    for (const s of this.sessions) {
      const card = el('div', `session-card${s.open ? '' : ' is-closed'}`);
      card.dataset.code = s.code;
      card.append(el('p', 'session-code', s.code));
      const state = s.open ? `${t(lang, s.mode === 'moderated' ? 'modeModerated' : 'modeLive')} · ${t(lang, 'sessionEnds')} ${formatDate(lang, s.ends_at)} ${new Date(s.ends_at).toLocaleTimeString(lang === 'th' ? 'th-TH' : 'en-GB', { hour: '2-digit', minute: '2-digit' })}` : t(lang, 'sessionIsClosed');
      card.append(el('p', 'layer-status', state));
      if (s.open) {
        const link = new URL(s.join_url, new URL('../', window.location.href)).href;
        const a = el('a', 'session-link', link);
        a.href = link;
        card.append(a);
        const qr = el('img', 'session-qr');
        qr.src = apiUrl(s.qr_svg).href;
        qr.alt = `${t(lang, 'qrFor')} ${s.code}`;
        qr.width = 200;
        qr.height = 200;
        const projector = el('a', 'session-projector', t(lang, 'projectorView'));
        projector.href = `#scn=${encodeURIComponent(this.scenarios.current)}&live&lang=${lang}`;
        projector.target = '_blank';
        card.append(qr, projector, button(t(lang, 'closeSession'), () => this.close(s), 'close-session'));
      }
      this.list.append(card);
    }
  }

  async close(session) {
    if (!window.confirm(t(this.lang, 'confirmCloseSession').replace('{code}', session.code))) {
      return;
    }
    const answer = await this.write('POST', `${this.base()}/${session.id}/close`);
    if (answer) {
      this.say(t(this.lang, 'sessionClosedNow').replace('{code}', session.code));
      await this.loadSessions();
    }
  }
}
