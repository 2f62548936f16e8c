// The judge pad's entry point: sign in, then the pad (judges), the desk (chief experts), the
// lifecycle view (supervisors, reviewers, arbitrators), the appeals page (delegation leaders)
// or the data-entry screen (operators: paper sheets, 双人录入).

import { getLang, name, setLang, t } from "./i18n.js";
import { Link, Outbox, Store } from "./link.js";
import { MarkBook } from "./marks.js";
import { ask, getJSON, h } from "./dom.js";
import { Pad } from "./pad.js";
import { Desk } from "./desk.js";
import { LifecycleView } from "./lifecycle.js";
import { LeaderView } from "./leader.js";
import { EntryView } from "./entry.js";
import { et } from "./entry_i18n.js";
import { lt } from "./lifecycle_i18n.js";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "scorecast.token";

function judgeOf(token) {
  const i = token.lastIndexOf(".");
  return i > 0 ? token.slice(0, i) : "";
}

// -- sign in ------------------------------------------------------------------------------

function tokenFromUrl() {
  // what the QR code from `scorecast credentials --qr` opens: /judge#token=<credential>
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, "", location.pathname + location.search); // keep it off the screen
  return decodeURIComponent(m[1]);
}

function showSignIn(error = "") {
  $("bar").hidden = true;
  $("view").replaceChildren();
  $("signin").hidden = false;
  $("signin-title").textContent = t("title");
  $("token-label").textContent = t("credential");
  $("token-hint").textContent = t("credential_hint");
  $("token-show").textContent = t("show");
  $("signin-button").textContent = t("sign_in");
  $("signin-button").disabled = false;
  $("signin-lang").textContent = t("lang");
  $("signin-error").textContent = error;
  $("token").focus();
}

function bindSignIn() {
  $("signin-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const token = $("token").value.trim();
    if (!token) return;
    $("signin-button").textContent = t("signing_in");
    $("signin-button").disabled = true;
    start(token, true);
  });
  $("token-show").addEventListener("click", () => {
    $("token").type = $("token").type === "password" ? "text" : "password";
  });
  $("signin-lang").addEventListener("click", () => {
    setLang(getLang() === "zh" ? "en" : "zh");
    showSignIn($("signin-error").textContent);
  });
}

// -- a signed-in session --------------------------------------------------------------------

class Session {
  constructor(token) {
    this.token = token;
    this.judgeId = judgeOf(token);
    this.store = new Store(this.judgeId || "judge");
    this.outbox = new Outbox(this.store);
    this.link = new Link(token, this.outbox);
    this.book = new MarkBook(this.store, this.link);
    this.welcome = this.store.get("welcome", null);
    this.programs = {}; // pid → {program, competitors}
    this.me = this.store.get("me", null);
    this.view = null;
    this.tab = null;
  }

  anonymous(pid) {
    return (this.welcome?.assignments || []).some((a) => a.program === pid && a.anonymous);
  }

  async loadProgram(pid) {
    try {
      const program = await getJSON(`/api/v1/programs/${encodeURIComponent(pid)}`);
      let competitors;
      if (this.anonymous(pid)) {
        // anonymous marking (加密): the codes this judge marks come with /judge/api/me; the
        // start list (names) is never fetched
        this.me = await getJSON("/judge/api/me", this.token);
        this.store.set("me", this.me);
        competitors = this.me.programs?.[pid]?.competitors || [];
      } else {
        competitors = await getJSON(`/api/v1/programs/${encodeURIComponent(pid)}/competitors`);
      }
      this.programs[pid] = { program, competitors };
      this.store.set(`program.${pid}`, this.programs[pid]);
    } catch {
      this.programs[pid] = this.programs[pid] || this.store.get(`program.${pid}`, null);
    }
    return this.programs[pid];
  }

  async refreshMe() {
    try {
      this.me = await getJSON("/judge/api/me", this.token);
      this.store.set("me", this.me);
      for (const [pid, p] of Object.entries(this.me.programs || {})) {
        if (p.anonymous && this.programs[pid]) this.programs[pid].competitors = p.competitors;
      }
      this.book.merge(this.me, (pid) => (this.programs[pid]?.competitors || []).map((c) => c.id));
    } catch {
      /* offline: keep what we had */
    }
  }

  isChief() {
    return this.welcome?.judge?.role === "chief";
  }

  role() {
    return this.welcome?.judge?.role || "judge";
  }

  // supervisors and arbitrators without assignments act on every program
  async loadAllPrograms() {
    try {
      this.allPrograms = (await getJSON("/api/v1/programs")).map((p) => p.id);
      this.store.set("allPrograms", this.allPrograms);
    } catch {
      this.allPrograms = this.store.get("allPrograms", []);
    }
    for (const pid of this.allPrograms) await this.loadProgram(pid);
  }

  tabs() {
    const out = [];
    const role = this.role();
    if (role === "leader") return [{ id: "leader:all", label: lt("leader_title") }];
    if (role === "operator") {
      // 双人录入: one entry screen per program whose paper sheets the operator types
      return (this.welcome?.assignments || []).map((a) => {
        const prog = this.programs[a.program]?.program;
        return { id: `entry:${a.program}`, label: prog ? name(prog.name) : a.program };
      });
    }
    if (role === "supervisor" || role === "arbitrator" || role === "reviewer") {
      const mine = (this.welcome?.assignments || []).map((a) => a.program);
      for (const pid of mine.length ? mine : this.allPrograms || []) {
        const prog = this.programs[pid]?.program;
        out.push({ id: `life:${pid}`, label: prog ? name(prog.name) : pid });
      }
      return out;
    }
    for (const a of this.welcome?.assignments || []) {
      const prog = this.programs[a.program]?.program;
      const label = prog ? name(prog.name) : a.program;
      if (this.isChief()) out.push({ id: `desk:${a.program}`, label: `${label} · ${t("desk")}` });
      if (a.aspects.length) out.push({ id: `pad:${a.program}`, label: this.isChief() ? `${label} · ${t("my_marks")}` : label });
    }
    return out;
  }
}

let session = null;

async function start(token, typed = false) {
  const s = new Session(token);
  session = s;
  s.link.addEventListener("state", (ev) => renderConn(ev.detail));
  s.link.addEventListener("queued", () => renderQueue());
  s.link.addEventListener("answer", () => renderQueue());
  s.link.addEventListener("refused", (ev) => {
    if (session !== s) return;
    localStorage.removeItem(TOKEN_KEY);
    session = null;
    s.view?.destroy?.();
    showSignIn(ev.detail.message || t("credential"));
  });
  let first = true;
  s.link.addEventListener("welcome", async (ev) => {
    if (session !== s) return;
    s.welcome = ev.detail;
    s.store.set("welcome", ev.detail);
    localStorage.setItem(TOKEN_KEY, token);
    if (first) {
      first = false;
      await enter(s);
    }
    await s.refreshMe();
  });
  s.link.start();
  if (!s.welcome || typed) {
    showSignIn();
    $("token").value = token;
    $("signin-button").textContent = t("signing_in");
    $("signin-button").disabled = true;
  }
  if (s.welcome && !typed) {
    // signed in on this device before: open the pad at once, offline if need be
    first = false;
    await enter(s);
    if (s.me) s.book.merge(s.me, (pid) => (s.programs[pid]?.competitors || []).map((c) => c.id));
  }
  setInterval(() => s.link.state === "online" && session === s && s.refreshMe(), 30000);
}

async function enter(s) {
  for (const a of s.welcome.assignments) await s.loadProgram(a.program);
  if (["supervisor", "arbitrator"].includes(s.role()) && !s.welcome.assignments.length) await s.loadAllPrograms();
  $("signin").hidden = true;
  $("bar").hidden = false;
  renderBar();
  const tabs = s.tabs();
  open(tabs.find((x) => x.id === s.store.get("tab", null))?.id || tabs[0]?.id);
}

function open(tabId) {
  const s = session;
  if (!s || !tabId) return;
  s.view?.destroy?.();
  s.tab = tabId;
  s.store.set("tab", tabId);
  const [kind, pid] = [tabId.slice(0, tabId.indexOf(":")), tabId.slice(tabId.indexOf(":") + 1)];
  const root = $("view");
  root.replaceChildren();
  const ctx = { session: s, pid, data: s.programs[pid] };
  const View = { desk: Desk, life: LifecycleView, leader: LeaderView, entry: EntryView }[kind] || Pad;
  s.view = new View(root, ctx);
  renderTabs();
}

// -- the bar --------------------------------------------------------------------------------

function renderBar() {
  const s = session;
  const j = s.welcome.judge;
  const roles = { chief: t("chief"), supervisor: lt("role_supervisor"), reviewer: lt("role_reviewer"), leader: lt("role_leader"), arbitrator: lt("role_arbitrator"), operator: et("role_operator") };
  $("who").textContent = `${name(j.name)}${roles[j.role] ? " · " + roles[j.role] : ""}${j.role === "leader" && j.delegation ? " · " + j.delegation : ""}`;
  $("lang").textContent = t("lang");
  $("signout").textContent = t("sign_out");
  renderTabs();
  renderConn(s.link.state);
  renderQueue();
}

function renderTabs() {
  const s = session;
  const tabs = s.tabs();
  $("tabs").replaceChildren(
    ...(tabs.length > 1 ? tabs : []).map((x) =>
      h("button", { type: "button", role: "tab", class: "tab", "aria-selected": String(x.id === s.tab), onclick: () => open(x.id) }, x.label),
    ),
  );
}

function renderConn(state) {
  const el = $("conn");
  el.dataset.state = state;
  el.textContent = t(state === "online" ? "online" : state === "connecting" ? "connecting" : "offline");
}

function renderQueue() {
  if (!session) return;
  const n = session.outbox.length;
  const el = $("queue");
  el.textContent = n ? t("waiting", n) : t("all_sent");
  el.dataset.waiting = n ? "yes" : "no";
}

function bindBar() {
  $("lang").addEventListener("click", () => {
    setLang(getLang() === "zh" ? "en" : "zh");
    renderBar();
    session?.view?.rerender?.();
  });
  $("signout").addEventListener("click", async () => {
    const s = session;
    if (!s) return;
    if (s.outbox.length && !(await ask(t("unsent_on_sign_out", s.outbox.length)))) return;
    s.link.stop();
    s.view?.destroy?.();
    session = null;
    localStorage.removeItem(TOKEN_KEY);
    $("token").value = "";
    showSignIn();
  });
}

// -- one pad per browser ----------------------------------------------------------------
// Two tabs writing one outbox in localStorage could lose a mark; the newest tab wins and
// the others step aside until the judge brings them back.

const TAB = Math.random().toString(36).slice(2);
const tabs = "BroadcastChannel" in window ? new BroadcastChannel("scorecast-pad") : null;
if (tabs) {
  tabs.onmessage = (ev) => {
    if (ev.data?.type !== "opened" || ev.data.tab === TAB || !session) return;
    const s = session;
    session = null;
    s.link.stop();
    s.view?.destroy?.();
    $("tabs").replaceChildren();
    $("view").replaceChildren(
      h("div", { class: "elsewhere" }, h("div", {}, h("p", {}, t("elsewhere")),
        h("button", { type: "button", class: "primary", onclick: () => location.reload() }, t("use_here")))),
    );
    renderConn("offline");
  };
  tabs.postMessage({ type: "opened", tab: TAB });
}

// -- boot -------------------------------------------------------------------------------

bindSignIn();
bindBar();
const fromUrl = tokenFromUrl();
const saved = fromUrl || localStorage.getItem(TOKEN_KEY);
if (saved) {
  if (fromUrl) localStorage.setItem(TOKEN_KEY, fromUrl);
  start(saved, !!fromUrl && !new Store(judgeOf(fromUrl)).get("welcome", null));
} else {
  showSignIn();
}
