// The pad's connection to the hub, and its outbox in the browser's storage.
//
// Every frame (mark, withdrawal, sign-off, lock, visibility) is written to localStorage
// before it is sent, and leaves the outbox only when the hub answers it: an ack, or a
// refusal for good. After any reconnect the pad resends what is left with the same ids;
// the hub answers a resent id with the original ack, so each mark counts exactly once.
// Frames on one competitor go out one after the other, in the order they were made.

const WINDOW = 16; // frames in flight at once
const RATE = 40; // frames a second; the hub allows 50 (burst 100) per connection
const TRANSIENT = new Set(["unavailable", "rate_limited"]);
const HEARTBEAT_MS = 5000;
const SILENCE_MS = 12000; // no frame for this long: the connection is dead, reconnect

export class Store {
  constructor(namespace) {
    this.prefix = `scorecast.${namespace}.`;
  }
  get(key, fallback) {
    const raw = localStorage.getItem(this.prefix + key);
    return raw == null ? fallback : JSON.parse(raw);
  }
  set(key, value) {
    localStorage.setItem(this.prefix + key, JSON.stringify(value));
  }
}

export function deviceId() {
  let id = localStorage.getItem("scorecast.device");
  if (!id) {
    id = "pad-" + randomHex(4);
    localStorage.setItem("scorecast.device", id);
  }
  return id;
}

function randomHex(bytes) {
  // crypto.getRandomValues works on plain http (venue LAN), randomUUID does not
  const a = new Uint8Array(bytes);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => b.toString(16).padStart(2, "0")).join("");
}

export function orderKey(frame) {
  return `${frame.program || ""}/${frame.competitor || ""}`;
}

export class Outbox {
  constructor(store) {
    this.store = store;
    this.entries = store.get("outbox", []);
    this.counter = store.get("counter", 0);
  }
  save() {
    this.store.set("outbox", this.entries);
  }
  newId() {
    this.counter += 1;
    this.store.set("counter", this.counter);
    return `${deviceId()}-${this.counter}-${randomHex(3)}`;
  }
  add(frame) {
    const entry = { id: frame.id || this.newId(), key: orderKey(frame), frame: null, sent: false, tries: 0 };
    entry.frame = { ...frame, id: entry.id };
    this.entries.push(entry);
    this.save();
    return entry;
  }
  find(id) {
    return this.entries.find((e) => e.id === id);
  }
  remove(id) {
    this.entries = this.entries.filter((e) => e.id !== id);
    this.save();
  }
  get length() {
    return this.entries.length;
  }
}

export class Link extends EventTarget {
  constructor(token, outbox) {
    super();
    this.token = token;
    this.outbox = outbox;
    this.state = "idle";
    this.ws = null;
    this.welcome = null;
    this.stopped = false;
    this.attempt = 0;
    this.timer = null;
    this.tokens = RATE;
    this.tokensAt = Date.now();
    this.onOffline = () => this.drop("offline");
    this.onOnline = () => {
      this.attempt = 0;
      this.connect();
    };
  }

  get url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws/judge`;
  }

  start() {
    window.addEventListener("offline", this.onOffline);
    window.addEventListener("online", this.onOnline);
    this.connect();
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("offline", this.onOffline);
    window.removeEventListener("online", this.onOnline);
    clearInterval(this.heartbeat);
    clearTimeout(this.timer);
    if (this.ws) this.ws.close();
    this.ws = null;
  }

  setState(state) {
    if (state === this.state) return;
    this.state = state;
    this.dispatchEvent(new CustomEvent("state", { detail: state }));
  }

  connect() {
    clearTimeout(this.timer);
    if (this.stopped || this.ws || this.state === "refused") return;
    if (!navigator.onLine) {
      this.setState("offline"); // the "online" event brings us back
      return;
    }
    this.setState("connecting");
    const ws = new WebSocket(this.url, ["scorecast.json"]);
    this.ws = ws;
    this.welcomed = false;
    this.inflight = new Set();
    this.unanswered = []; // ids of frames sent on this socket, oldest first
    this.lastFrameAt = Date.now();
    ws.onopen = () => {
      ws.send(JSON.stringify({ type: "auth", token: this.token, device: deviceId(), protocol: 1 }));
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      let frame;
      try {
        frame = JSON.parse(ev.data);
      } catch {
        return;
      }
      this.onFrame(frame);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.drop("offline");
    };
  }

  // The socket is gone (or we gave it up): forget what was in flight; it is resent later.
  drop(state) {
    const ws = this.ws;
    this.ws = null;
    this.welcomed = false;
    if (ws) {
      ws.onclose = null;
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
    if (this.stopped || this.state === "refused") return;
    this.setState(state);
    if (navigator.onLine) this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    const ceiling = Math.min(10000, 500 * 2 ** this.attempt);
    this.attempt += 1;
    const delay = ceiling / 4 + Math.random() * (ceiling * 3) / 4; // exponential backoff, jittered
    this.timer = setTimeout(() => this.connect(), delay);
  }

  reconnectNow() {
    this.attempt = 0;
    if (!this.ws) this.connect();
  }

  beat() {
    if (!this.ws || !this.welcomed) return;
    if (Date.now() - this.lastFrameAt > SILENCE_MS) {
      this.drop("offline");
      return;
    }
    const id = `ping-${Date.now()}`;
    this.unanswered.push(id);
    this.ws.send(JSON.stringify({ type: "ping", id }));
  }

  onFrame(frame) {
    this.lastFrameAt = Date.now();
    if (!this.welcomed) {
      if (frame.type === "welcome") {
        this.welcomed = true;
        this.welcome = frame;
        this.attempt = 0;
        this.setState("online");
        this.dispatchEvent(new CustomEvent("welcome", { detail: frame }));
        this.pump();
      } else if (frame.type === "error" && frame.code === "bad_credential") {
        this.setState("refused");
        this.dispatchEvent(new CustomEvent("refused", { detail: frame }));
        this.stop();
      } else if (frame.type === "error") {
        this.drop("offline"); // e.g. rate_limited before the welcome: try again later
      }
      return;
    }
    if (!["ack", "error", "pong"].includes(frame.type)) return;
    // The hub answers one frame after the other; an answer without an id (a frame refused
    // before it was read, e.g. rate_limited) belongs to the oldest unanswered frame.
    let ref = frame.id;
    if (ref == null) {
      ref = this.unanswered.shift();
    } else {
      const i = this.unanswered.indexOf(ref);
      if (i >= 0) this.unanswered.splice(i, 1);
    }
    if (frame.type === "pong") return;
    const entry = this.outbox.find(ref);
    if (!entry) return;
    this.inflight.delete(ref);
    if (frame.type === "ack") {
      this.outbox.remove(ref);
      this.answer(entry, { ok: true, seq: frame.seq, duplicate: !!frame.duplicate, status: frame.entry });
    } else if (frame.retry || TRANSIENT.has(frame.code)) {
      entry.tries += 1;
      entry.holdUntil = Date.now() + Math.min(5000, 100 * 2 ** entry.tries) * (0.5 + Math.random() / 2);
      entry.lastError = frame.code;
      this.outbox.save();
      setTimeout(() => this.pump(), entry.holdUntil - Date.now() + 5);
    } else {
      this.outbox.remove(ref);
      this.answer(entry, { ok: false, code: frame.code, message: frame.message });
    }
    this.pump();
  }

  answer(entry, result) {
    this.dispatchEvent(new CustomEvent("answer", { detail: { entry, ...result } }));
  }

  // Queue a frame (durably) and send what may be sent.
  send(frame) {
    const entry = this.outbox.add(frame);
    this.dispatchEvent(new CustomEvent("queued", { detail: entry }));
    this.pump();
    return entry;
  }

  takeToken() {
    const now = Date.now();
    this.tokens = Math.min(RATE, this.tokens + ((now - this.tokensAt) / 1000) * RATE);
    this.tokensAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  pump() {
    const ws = this.ws;
    if (!ws || !this.welcomed || ws.readyState !== WebSocket.OPEN) return;
    const now = Date.now();
    const busy = new Set();
    for (const e of this.outbox.entries) {
      if (this.inflight.size >= WINDOW) break;
      if (busy.has(e.key)) continue; // an earlier frame on this competitor has no answer yet
      busy.add(e.key);
      if (this.inflight.has(e.id) || (e.holdUntil && e.holdUntil > now)) continue;
      if (!this.takeToken()) {
        setTimeout(() => this.pump(), 1000 / RATE);
        break;
      }
      if (!e.sent) {
        e.sent = true; // recorded before the frame leaves: an unsent entry may still be edited
        this.outbox.save();
      }
      this.inflight.add(e.id);
      this.unanswered.push(e.id);
      ws.send(JSON.stringify(e.frame));
    }
  }
}
