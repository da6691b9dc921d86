// live_feed.js - a scenario's visible sketch changes as they happen: Server-Sent Events from
// GET /scenarios/{id}/events (EventSource, which reconnects by itself and resumes after the
// last event id it saw). When the server refuses the stream (503: too many live clients) or
// the connection stays down, the feed connects again after a growing pause, and the caller
// reloads everything once (events missed while refused are not replayed).
import { apiUrl } from './api.js';

const RETRY_MIN_MS = 2000;
const RETRY_MAX_MS = 30000;

export class LiveFeed {
  // onChange({ action, sketch_id, version, feature }), onState('live' | 'waiting'),
  // onGap(): called after a reconnection that may have missed events.
  constructor(scenarioId, handlers) {
    this.scenarioId = scenarioId;
    this.handlers = handlers;
    this.source = null;
    this.timer = null;
    this.retryMs = RETRY_MIN_MS;
    this.lastId = null;
    this.isStopped = false;
    this.wasRefused = false;
  }

  start() {
    this.isStopped = false;
    this.connect();
  }

  stop() {
    this.isStopped = true;
    clearTimeout(this.timer);
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  connect() {
    // After a refusal, the stream resumes after the last event seen (the server replays from
    // its history); with none seen yet, what happened meanwhile is reloaded whole.
    const params = this.lastId ? { after: this.lastId } : null;
    const isResumed = this.wasRefused;
    const source = new EventSource(apiUrl(`scenarios/${encodeURIComponent(this.scenarioId)}/events`, params));
    this.source = source;
    source.addEventListener('open', () => {
      this.retryMs = RETRY_MIN_MS;
      this.wasRefused = false;
      this.handlers.onState('live');
      if (isResumed && !params) {
        this.handlers.onGap();
      }
    });
    source.addEventListener('sketch', (ev) => {
      if (ev.lastEventId) {
        this.lastId = ev.lastEventId;
      }
      let change;
      try {
        change = JSON.parse(ev.data);
      } catch {
        return; // not an event of ours
      }
      this.handlers.onChange(change);
    });
    source.addEventListener('error', () => {
      this.handlers.onState('waiting');
      if (source.readyState === EventSource.CLOSED && !this.isStopped) {
        // Refused (an HTTP error such as 503): EventSource gives up; try again later.
        source.close();
        this.wasRefused = true;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.connect(), this.retryMs);
        this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
      }
    });
  }
}
