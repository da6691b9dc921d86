// live_feed.js - a scenario's visible sketch changes as they happen, from the server's public
// list of changes (GET /scenarios/{id}/changes?after=H: created, updated or deleted, each
// with the history id it follows). The feed asks once a second, so a change shows within two
// seconds; it starts from the beginning of the history (changes are applied by sketch id and
// version, so replaying is harmless and nothing between the first load and the first answer
// is missed), follows "more" at once, and after a failure (the server away, a 503 or 429)
// waits longer each time, up to half a minute. One request at a time: a slow answer delays
// the next ask instead of piling requests up.
import { getJson } from './api.js';

const POLL_MS = 1000;
const RETRY_MAX_MS = 30000;
const PAGE = 500;

export class LiveFeed {
  // handlers: { onChange({ action, sketch_id, version, feature }), onState('live' | 'waiting') }
  constructor(scenarioId, handlers) {
    this.scenarioId = scenarioId;
    this.handlers = handlers;
    this.after = 0;
    this.timer = null;
    this.waitMs = POLL_MS;
    this.isStopped = true;
    this.abort = null;
  }

  start() {
    this.isStopped = false;
    this.poll();
  }

  stop() {
    this.isStopped = true;
    clearTimeout(this.timer);
    if (this.abort) {
      this.abort.abort();
    }
  }

  async poll() {
    this.abort = new AbortController();
    let delay = POLL_MS;
    try {
      const doc = await getJson(`scenarios/${encodeURIComponent(this.scenarioId)}/changes`, { after: this.after, limit: PAGE }, this.abort.signal);
      if (this.isStopped) {
        return;
      }
      (doc.changes || []).forEach((change) => this.handlers.onChange(change));
      this.after = doc.last;
      this.waitMs = POLL_MS;
      this.handlers.onState('live');
      delay = doc.more ? 0 : POLL_MS;
    } catch {
      if (this.isStopped) {
        return;
      }
      this.handlers.onState('waiting');
      this.waitMs = Math.min(this.waitMs * 2, RETRY_MAX_MS);
      delay = this.waitMs;
    }
    this.timer = setTimeout(() => this.poll(), delay);
  }
}
