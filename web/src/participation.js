// participation.js - a participant joins a workshop on a phone: the join link (/map/#join=CODE)
// names the session, the page asks for a display name (optional) and a group from the
// facilitator's list, and the server answers with a credential for that session only. The
// credential is kept in localStorage under the session's code, so a reload or a phone that
// slept keeps the person's identity (and their own sketches) without joining again; it is
// useless once the session closes, and never written into a URL.
import { apiUrl, getJson } from './api.js';
import { t } from './i18n.js';
import { el } from './dom.js';

const KEY_PREFIX = 'cityatlas-participant-';
export const CODE = /^[A-Za-z0-9]{4,12}$/;

// The words of a refusal a participant sees: the server's Thai words when it has them, else
// the page's own for the status, with the wait of a 429.
export function participantRefusal(lang, status, body, retryAfter) {
  if (status === 429) {
    const seconds = Number(retryAfter || (body && body.retry_after)) || 10;
    return t(lang, 'tooFast').replace('{s}', String(seconds));
  }
  const code = body && body.code;
  if (code === 'SessionClosed') {
    return t(lang, 'sessionClosed');
  }
  if (code === 'NotYours') {
    return t(lang, 'notYours');
  }
  if (code === 'OutsideExtent') {
    return t(lang, 'refusedOutside');
  }
  if (lang === 'th' && body && body.description_th) {
    return body.description_th;
  }
  return null;
}

// One participant of one session: { code, credential, participantId, name, group, session }.
export class Participant {
  constructor(code, stored) {
    this.code = code.toUpperCase();
    Object.assign(this, stored);
  }

  static stored(code) {
    try {
      const got = JSON.parse(localStorage.getItem(KEY_PREFIX + code.toUpperCase()) || 'null');
      return got && /^cap_/.test(got.credential) ? new Participant(code, got) : null;
    } catch {
      return null;
    }
  }

  save() {
    const { credential, participantId, name, group } = this;
    localStorage.setItem(KEY_PREFIX + this.code, JSON.stringify({ credential, participantId, name, group }));
  }

  forget() {
    localStorage.removeItem(KEY_PREFIX + this.code);
  }

  headers() {
    return { Authorization: `Bearer ${this.credential}` };
  }

  groupTitle(lang, id) {
    const g = ((this.session && this.session.groups) || []).find((x) => x.id === id);
    return g ? g.title[lang] || g.title.en || g.title.th : id;
  }
}

// The join card: the session's scenario and state, then name and group. Resolves with a
// Participant once the server has accepted the person (or one stored from before), or null
// when the session cannot be joined (the card says why).
export async function joinSession(box, code, lang) {
  box.replaceChildren(el('p', 'stats-status', t(lang, 'loading')));
  let session;
  try {
    session = await getJson(`join/${encodeURIComponent(code)}`);
  } catch (e) {
    box.replaceChildren(el('p', 'editor-message error', `${t(lang, 'joinUnknown')} (${e.message})`));
    return null;
  }
  const stored = Participant.stored(code);
  if (stored && session.open) {
    stored.session = session;
    return stored;
  }
  const card = el('form', 'join-card');
  card.id = 'join-form';
  card.append(el('h3', null, `${t(lang, 'joinTitle')}: ${session.scenario.title[lang] || session.scenario.title.en}`));
  const message = el('p', 'editor-message');
  message.id = 'join-message';
  message.setAttribute('role', 'alert');
  if (!session.open) {
    message.textContent = t(lang, 'sessionClosed');
    message.classList.add('error');
    card.append(message);
    box.replaceChildren(card);
    return null;
  }
  const name = el('input');
  name.id = 'join-name';
  name.maxLength = 60;
  name.autocomplete = 'nickname';
  const nameLabel = el('label', 'form-field', t(lang, 'joinName'));
  nameLabel.append(name);
  card.append(nameLabel);
  const group = el('select');
  group.id = 'join-group';
  if ((session.groups || []).length) {
    group.append(new Option(t(lang, 'joinPickGroup'), ''));
    session.groups.forEach((g) => group.append(new Option(g.title[lang] || g.title.en || g.title.th, g.id)));
    const groupLabel = el('label', 'form-field', t(lang, 'joinGroup'));
    groupLabel.append(group);
    card.append(groupLabel);
  }
  const submit = el('button', null, t(lang, 'joinButton'));
  submit.type = 'submit';
  submit.dataset.action = 'join';
  card.append(submit, message);
  box.replaceChildren(card);
  return new Promise((resolve) => {
    card.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = {};
      if (name.value.trim()) {
        body.name = name.value.trim();
      }
      if (group.value) {
        body.group = group.value;
      }
      let resp;
      try {
        resp = await fetch(apiUrl(`join/${encodeURIComponent(code)}`), {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
        });
      } catch (e) {
        message.textContent = `${t(lang, 'loadFailed')}: ${e.message}`;
        message.classList.add('error');
        return;
      }
      const answer = await resp.json().catch(() => null);
      if (!resp.ok) {
        const words = participantRefusal(lang, resp.status, answer, resp.headers.get('Retry-After'));
        message.textContent = words || `${t(lang, 'refusedOther')}: ${(answer && answer.description) || resp.status}`;
        message.classList.add('error');
        return;
      }
      const p = new Participant(code, {
        credential: answer.credential,
        participantId: answer.participant_id,
        name: answer.name || '',
        group: answer.group || '',
      });
      p.session = answer.session || session;
      p.save();
      resolve(p);
    });
  });
}
