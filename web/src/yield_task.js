// yield_task.js - lets the browser run what waits (input, paint, other tiles arriving)
// between parts of a long piece of work, so a phone's main thread is never held for long:
// a slow phone takes four times as long for the same work, and a tap that waits behind a
// long task feels like a frozen map. scheduler.yield() where the browser has it (the rest
// of the work keeps its place in line), else a task posted through a MessageChannel (a
// setTimeout of 0 is clamped to 4 ms once nested).

const channel = typeof MessageChannel === 'function' ? new MessageChannel() : null;
const waiting = [];
if (channel) {
  channel.port1.onmessage = () => waiting.shift()();
}

export function yieldToMain() {
  if (globalThis.scheduler && typeof globalThis.scheduler.yield === 'function') {
    return globalThis.scheduler.yield();
  }
  return new Promise((resolve) => {
    if (!channel) {
      setTimeout(resolve, 0);
      return;
    }
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

// Calls each(item) for every item, yielding to the browser whenever budgetMs has passed
// since the last yield; stops early (returning false) once signal is aborted.
export async function forEachYielding(items, each, signal, budgetMs = 8) {
  let since = performance.now();
  for (const item of items) {
    if (performance.now() - since > budgetMs) {
      await yieldToMain();
      since = performance.now();
    }
    if (signal && signal.aborted) {
      return false;
    }
    each(item);
  }
  return true;
}
