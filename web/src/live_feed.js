// live_feed.js - a scenario's visible sketch changes as they happen. Where the browser has
// EventSource, the server pushes them (GET /scenarios/{id}/events, Server-Sent Events: each
// change an event whose id is its history id); elsewhere, or when streams keep failing (a
// proxy that buffers, the server's cap of live streams reached), the feed polls the public
// list of changes (GET /scenarios/{id}/changes?after=H) once a second, following "more" at
// once. Both start from the beginning of the history (changes are applied by sketch id and
// version, so replaying is harmless and nothing between the first load and the first event is
// missed) and remember the last history id, so a reconnect resumes exactly after it. After a
// failure the feed waits longer each time, up to half a minute, and says so (onState
// 'waiting'); with a session, the stream's final "end" event (the session closed) stops it
// (onState 'ended'). One request or stream at a time.
import { apiUrl, getJson } from './api.js';

const POLL_MS = 1000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
const PAGE = 500;
// Streams that fail this many times in a row (each time the changes list still answers) give
// way to polling for good: something between here and the server does not let them through.
const STREAM_FAILURES_MAX = 3;
// End reasons after which nothing more will come; any other (the server stopping) reconnects.
const FINAL_REASONS = new Set(['session-closed', 'scenario-deleted']);

export class LiveFeed {
  // handlers: { onChange({ id, action, sketch_id, version, feature }),
  //             onState('live' | 'waiting' | 'ended', transport: 'stream' | 'poll') }
  // options: { session: the participant's session id (its end ends the feed),
  //            transport: 'poll' to poll even where EventSource exists }
  constructor(scenarioId, handlers, options = {}) {
    this.scenarioId = scenarioId;
    this.handlers = handlers;
    this.session = options.session;
    this.canStream = options.transport !== 'poll' && typeof window.EventSource === 'function';
    this.after = 0;
    this.timer = null;
    this.waitMs = RETRY_FIRST_MS;
    this.streamFailures = 0;
    this.isStopped = true;
    this.abort = null;
    this.source = null;
  }

  get transport() {
    return this.canStream ? 'stream' : 'poll';
  }

  start() {
    this.isStopped = false;
    if (this.canStream) {
      this.openStream();
    } else {
      this.poll();
    }
  }

  stop() {
    this.isStopped = true;
    clearTimeout(this.timer);
    if (this.abort) {
      this.abort.abort();
    }
    this.closeStream();
  }

  setState(state) {
    this.handlers.onState(state, this.transport);
  }

  apply(change) {
    if (Number.isFinite(change.id) && change.id > this.after) {
      this.after = change.id;
    }
    this.handlers.onChange(change);
  }

  openStream() {
    const url = apiUrl(`scenarios/${encodeURIComponent(this.scenarioId)}/events`, { after: this.after, session: this.session });
    const source = new EventSource(url);
    this.source = source;
    source.onopen = () => {
      this.waitMs = RETRY_FIRST_MS;
      this.setState('live');
    };
    source.onmessage = (event) => {
      let change = null;
      try {
        change = JSON.parse(event.data);
      } catch {
        return; // not a change: nothing to apply
      }
      this.streamFailures = 0;
      this.apply(change);
    };
    source.addEventListener('end', (event) => {
      let reason = '';
      try {
        reason = JSON.parse(event.data).reason;
      } catch {
        // an end without a reason: reconnect as after any failure
      }
      this.closeStream();
      if (FINAL_REASONS.has(reason)) {
        this.isStopped = true;
        this.setState('ended');
      } else {
        this.retry();
      }
    });
    // The browser would reconnect by itself at a fixed pace; the feed does it instead, with
    // a growing wait, and checks with one poll that the server is there at all.
    source.onerror = () => {
      this.closeStream();
      this.streamFailures += 1;
      this.retry();
    };
  }

  closeStream() {
    if (this.source) {
      this.source.onopen = this.source.onmessage = this.source.onerror = null;
      this.source.close();
      this.source = null;
    }
  }

  retry() {
    if (this.isStopped) {
      return;
    }
    this.setState('waiting');
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.poll(), this.waitMs);
    this.waitMs = Math.min(this.waitMs * 2, RETRY_MAX_MS);
  }

  async poll() {
    this.abort = new AbortController();
    let delay = POLL_MS;
    try {
      const doc = await getJson(`scenarios/${encodeURIComponent(this.scenarioId)}/changes`, { after: this.after, limit: PAGE }, this.abort.signal);
      if (this.isStopped) {
        return;
      }
      (doc.changes || []).forEach((change) => this.apply(change));
      this.after = Math.max(this.after, doc.last);
      if (this.canStream && this.streamFailures >= STREAM_FAILURES_MAX) {
        this.canStream = false; // the list answers, streams do not: poll from now on
      }
      if (this.canStream && !doc.more) {
        this.openStream(); // the server is back: stream again from where the list ended
        return;
      }
      this.waitMs = RETRY_FIRST_MS;
      this.setState('live');
      delay = doc.more ? 0 : POLL_MS;
    } catch {
      if (this.isStopped) {
        return;
      }
      this.setState('waiting');
      delay = this.waitMs;
      this.waitMs = Math.min(this.waitMs * 2, RETRY_MAX_MS);
    }
    this.timer = setTimeout(() => this.poll(), delay);
  }
}
