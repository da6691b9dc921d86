// notice.js - a problem said on the map itself, in the reader's language, with a button to
// try again: what a request that failed after its retries (retry.js) leaves, instead of an
// endless "Loading…" or a blank map. One notice at a time; the newest replaces the last.
import { t } from './i18n.js';

// The browsers' own words for "no answer at all" (Chromium, Firefox, Safari), which
// fetch gives in English whatever the page's language.
const NO_CONNECTION = /Failed to fetch|NetworkError|Load failed/g;
const inWords = (lang, detail) => detail.replace(NO_CONNECTION, t(lang, 'noConnection'));

export class Notice {
  // box: the #notice element, holding a text span and a button.
  constructor(box) {
    this.box = box;
    this.text = box.querySelector('.notice-text');
    this.button = box.querySelector('button');
    this.current = null; // { key, detail, onRetry }
    this.button.addEventListener('click', () => {
      const retry = this.current && this.current.onRetry;
      this.hide();
      if (retry) {
        retry();
      }
    });
  }

  // key: an i18n word; detail: the server's or browser's own words (shown after it);
  // onRetry: what the button does (no button without it).
  show(lang, key, detail, onRetry) {
    this.current = { key, detail, onRetry };
    this.render(lang);
  }

  hide() {
    this.current = null;
    this.box.hidden = true;
  }

  render(lang) {
    if (!this.current) {
      return;
    }
    const { key, detail, onRetry } = this.current;
    this.text.textContent = t(lang, key) + (detail ? `: ${inWords(lang, detail)}` : '');
    this.button.textContent = t(lang, 'retry');
    this.button.hidden = !onRetry;
    this.box.hidden = false;
  }
}
