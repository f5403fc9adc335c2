// View: connection state with its reason, round-trip time, frames and ticks per second.

const LABELS = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline', idle: 'Idle' };

export class ConnectionPanel {
  constructor(root) {
    this.root = root;
    this.stateText = root.querySelector('#conn-state');
    this.reason = root.querySelector('#conn-reason');
    this.rtt = root.querySelector('#conn-rtt');
    this.fps = root.querySelector('#conn-fps');
    this.tps = root.querySelector('#conn-tps');
    this.frames = 0;
    this.ticks = 0;
    this.countdown = 0;
    setInterval(() => this.everySecond(), 1000);
  }

  setState({ state, reason, retryInMs, transport, protocol }) {
    this.root.dataset.state = state;
    this.root.dataset.transport = transport ?? 'websocket';
    this.root.dataset.protocol = protocol ?? 'ticker.v1';
    const fallback = state === 'live' && transport === 'sse';
    this.stateText.textContent = fallback ? 'Live · fallback' : LABELS[state] ?? state;
    this.stateText.title = fallback ? 'WebSocket is blocked on the way to the server; the stream comes as Server-Sent Events' : '';
    this.retryAt = retryInMs ? Date.now() + retryInMs : 0;
    this.why = reason;
    this.showReason();
  }

  showReason() {
    const left = this.retryAt ? Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000)) : 0;
    this.reason.textContent = this.why ? `${this.why}${left ? `; retrying in ${left} s` : ''}` : '';
  }

  frame(quoteCount) {
    this.frames += 1;
    this.ticks += quoteCount;
  }

  latency(ms) {
    this.rtt.textContent = `${Math.round(ms)} ms`;
  }

  everySecond() {
    this.fps.textContent = String(this.frames);
    this.tps.textContent = String(this.ticks);
    this.frames = 0;
    this.ticks = 0;
    if (this.retryAt) this.showReason();
  }
}
