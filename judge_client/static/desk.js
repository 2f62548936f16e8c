// The chief expert's desk: every judge's marks for the program, live from the jury channel.
//
// Disagreements beyond the agreement rule are highlighted the moment the delta arrives;
// the sidebar shows who has not marked what; each competitor can be locked, and unlocked
// with a reason; the switch at the top sets the program's visibility (live, frozen, hidden);
// the lifecycle panel (lifecycle.js) takes the program to review, 公示 and final and shows
// each gate and what it is missing; the program's record (desk_history.js) unfolds below the
// board. A board that lost its connection says so and greys out
// until it has caught up again. A two-layer anonymous program before decryption comes as one
// table per layer (the snapshot's `layers`, rows with a `layer`: server/layer_tables.py), each
// under its own codes in code order, with no total: nothing on the desk pairs the two codes.

import { name, reason, t } from "./i18n.js";
import { ask, getJSON, h, toast } from "./dom.js";
import { aspectsOf } from "./scheme.js";
import { icon } from "./icons.js";
import { LifecyclePanel } from "./lifecycle.js";
import { HistoryPanel, labelled } from "./desk_history.js";

// results go public through the lifecycle (the old "published" is refused: use_lifecycle)
const VISIBILITIES = ["live", "frozen", "hidden"];

// The jury channel as a snapshot kept current by deltas (scoreboard.views.apply_delta).
export class LiveBoard extends EventTarget {
  constructor(channel, token) {
    super();
    this.channel = channel;
    this.token = token;
    this.snapshot = null;
    this.ws = null;
    this.attempt = 0;
    this.stopped = false;
    this.connected = false;
    this.onOnline = () => {
      this.attempt = 0;
      this.connect();
    };
    this.onOffline = () => this.drop();
  }

  start() {
    window.addEventListener("online", this.onOnline);
    window.addEventListener("offline", this.onOffline);
    this.connect();
    this.beat = setInterval(() => {
      if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
      if (Date.now() - this.lastFrameAt > 25000) return this.drop();
      this.ws.send(JSON.stringify({ type: "ping" }));
    }, 10000);
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this.onOnline);
    window.removeEventListener("offline", this.onOffline);
    clearInterval(this.beat);
    clearTimeout(this.timer);
    if (this.ws) {
      this.ws.onclose = null;
      this.ws.close();
    }
  }

  connect() {
    clearTimeout(this.timer);
    if (this.stopped || this.ws) return;
    if (!navigator.onLine) return this.setConnected(false);
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(`${scheme}//${location.host}/ws/live`, ["scorecast.json"]);
    this.ws = ws;
    this.lastFrameAt = Date.now();
    ws.onopen = () => this.subscribe(this.snapshot ? this.snapshot.version : undefined);
    ws.onmessage = (ev) => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      this.onFrame(JSON.parse(ev.data));
    };
    ws.onclose = () => {
      if (this.ws === ws) this.drop();
    };
  }

  subscribe(version) {
    // features: applyDelta knows a delta's ranks (docs/protocol.md); without it, whole rows
    const frame = { type: "subscribe", channel: this.channel, token: this.token, features: ["ranks"] };
    if (version != null) frame.version = version; // resume: the hub sends what was missed
    this.ws.send(JSON.stringify(frame));
  }

  drop() {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onclose = null;
      try {
        ws.close();
      } catch {
        /* gone */
      }
    }
    this.setConnected(false);
    if (this.stopped || !navigator.onLine) return;
    const ceiling = Math.min(10000, 500 * 2 ** this.attempt++);
    this.timer = setTimeout(() => this.connect(), ceiling / 4 + (Math.random() * ceiling * 3) / 4);
  }

  setConnected(v) {
    if (v === this.connected) return;
    this.connected = v;
    this.dispatchEvent(new CustomEvent("connection", { detail: v }));
  }

  onFrame(f) {
    if (f.type === "snapshot" && f.channel === this.channel) {
      this.snapshot = f.data;
      this.attempt = 0;
      this.setConnected(true);
      this.dispatchEvent(new CustomEvent("update", { detail: { full: true } }));
    } else if (f.type === "delta" && f.channel === this.channel) {
      if (!this.snapshot || f.version <= this.snapshot.version) return;
      if (f.from !== this.snapshot.version) {
        this.subscribe(); // a gap: start again from a fresh snapshot
        return;
      }
      try {
        this.snapshot = applyDelta(this.snapshot, f);
      } catch (e) {
        console.warn("scorecast desk:", e.message);
        this.subscribe(); // it does not fit what we hold: start again from a fresh snapshot
        return;
      }
      this.attempt = 0;
      this.setConnected(true);
      this.dispatchEvent(new CustomEvent("update", { detail: { rows: (f.rows || []).map(rowId) } }));
    } else if (f.type === "error") {
      this.dispatchEvent(new CustomEvent("error", { detail: f }));
    }
  }
}

function rowId(r) {
  return r.id ?? r.competitor.id;
}

export function applyDelta(snapshot, delta) {
  const rows = new Map(snapshot.rows.map((r) => [rowId(r), r]));
  let order = snapshot.rows.map(rowId);
  for (const r of delta.rows || []) {
    if (!rows.has(rowId(r))) order.push(rowId(r));
    rows.set(rowId(r), r);
  }
  for (const id of delta.removed || []) rows.delete(id);
  for (const [id, rank] of Object.entries(delta.ranks || {})) {
    // rows whose rank alone changed: the row held, with its new rank (as Python's apply_delta:
    // a rank for a row not held means we are out of step, never a row silently left stale)
    if (!rows.has(id)) throw new Error(`delta ranks ${id}, which is not a row of version ${snapshot.version}`);
    rows.set(id, { ...rows.get(id), rank });
  }
  order = delta.order ? [...delta.order] : order.filter((id) => rows.has(id));
  const out = { ...snapshot, ...(delta.header || {}) };
  out.version = delta.version;
  out.rows = order.filter((id) => rows.has(id)).map((id) => rows.get(id));
  return out;
}

export class Desk {
  constructor(root, { session, pid, data }) {
    this.root = root;
    this.s = session;
    this.pid = pid;
    this.data = data;
    this.panel = session.store.get(`panel.${pid}`, null);
    this.focusJudge = null;
    this.disagreeing = new Set();
    this.flashing = new Map(); // cell key → time it started to disagree
    this.board = new LiveBoard(`program:${pid}:jury`, session.token);
    this.board.addEventListener("update", (ev) => this.update(ev.detail));
    this.board.addEventListener("connection", () => this.render());
    this.board.addEventListener("error", (ev) => toast(reason(ev.detail.code, ev.detail.message), "error"));
    this.onAnswer = (ev) => this.answered(ev.detail);
    session.link.addEventListener("answer", this.onAnswer);
    this.life = new LifecyclePanel({ session, pid, data }, "chief", () => this.render());
    const rows = () => this.board.snapshot?.rows || [];
    this.history = new HistoryPanel({ pid, token: session.token, ...labelled(rows, () => this.panel?.judges || []) });
    this.board.start();
    this.loadPanel();
    this.render();
  }

  destroy() {
    this.life.destroy();
    this.board.stop();
    this.s.link.removeEventListener("answer", this.onAnswer);
  }

  rerender() {
    this.render();
  }

  async loadPanel() {
    try {
      this.panel = await getJSON(`/judge/api/panel/${encodeURIComponent(this.pid)}`, this.s.token);
      this.s.store.set(`panel.${this.pid}`, this.panel);
      this.render();
    } catch {
      /* offline: the copy from last time */
    }
  }

  answered({ entry, ok, code, message }) {
    const f = entry.frame;
    if (f.program !== this.pid || !["lock", "unlock", "visibility", "status"].includes(f.type)) return;
    this.pendingVisibility = null;
    if (!ok) toast(reason(code, message), "error");
    this.render();
  }

  // -- the board -------------------------------------------------------------------------

  update({ full }) {
    const snap = this.board.snapshot;
    const now = Date.now();
    const next = new Set();
    for (const row of snap.rows) {
      for (const [aid, a] of Object.entries(row.aspects || {})) {
        if (disagrees(a)) next.add(`${row.competitor.id}|${aid}`);
      }
    }
    for (const key of next) if (!this.disagreeing.has(key) && !full) this.flashing.set(key, now);
    this.disagreeing = next;
    this.render();
  }

  aspectList() {
    this.aspects = this.data ? aspectsOf(this.data.program) : new Map();
    return [...this.aspects.values()];
  }

  // Judges expected on a cell: assigned to the aspect, not of the competitor's delegation.
  eligible(cid, aid) {
    return (this.panel?.judges || []).filter((j) => j.aspects.includes(aid) && !j.conflicts.includes(cid));
  }

  render() {
    // the board is rebuilt on every change; the chief's place in it stays where it was
    const wrap = this.root.querySelector(".grid-wrap");
    const scroll = wrap ? [wrap.scrollTop, wrap.scrollLeft] : null;
    this.draw();
    const again = this.root.querySelector(".grid-wrap");
    if (scroll && again) [again.scrollTop, again.scrollLeft] = scroll;
  }

  draw() {
    const snap = this.board.snapshot;
    const aspects = this.aspectList();
    const title = h("h2", {}, this.data ? name(this.data.program.name) : this.pid);
    const head = h("div", { class: "desk-head" }, title, this.visibilitySwitch(snap));
    if (!snap) {
      this.root.replaceChildren(h("div", { class: "desk" }, head, h("p", { class: "empty" }, t("board_stale"))));
      return;
    }
    const rows = snap.rows.slice().sort((a, b) => String(a.competitor.bib).localeCompare(String(b.competitor.bib), undefined, { numeric: true }));
    const groups = this.groups(snap, rows, aspects);
    const stats = groups.map((g) => this.stats(g.rows, g.aspects)).reduce((x, y) => Object.fromEntries(Object.keys(x).map((k) => [k, x[k] + y[k]])));
    const tables = groups.map((g) => this.tableEl(g, true)); // each layer locks under its own code
    const table = groups.length > 1 ? h("div", { class: "layer-tables" }, h("p", { class: "layers-note" }, t("layers_note")), tables) : tables[0];
    const stale = !this.board.connected;
    this.root.replaceChildren(
      h(
        "div",
        { class: "desk" + (stale ? " stale" : "") },
        head,
        stale ? h("div", { class: "banner", dataset: { state: "offline" } }, t("board_stale")) : null,
        this.life.el(),
        this.alerts(rows),
        h(
          "div",
          { class: "stats" },
          h("span", {}, t("marks_in", stats.marks, stats.expected)),
          h("span", {}, t("complete_cells", stats.complete, stats.cells)),
          h("span", {}, t("signed_rows", stats.signedAll, groups[0].rows.length)),
        ),
        h("div", { class: "desk-body" }, h("div", { class: "grid-wrap" }, table), this.judgesEl(groups)),
        this.history.el(),
      ),
    );
  }

  // The board's tables: one, or one per layer of a two-layer program before decryption.
  groups(snap, rows, aspects) {
    this.layerAspects = new Map((snap.layers || []).map((l) => [l.layer, new Set(l.aspects)]));
    if (!snap.layers) return [{ layer: null, rows, aspects, total: true }];
    return snap.layers.map((l) => ({ layer: l.layer, rows: rows.filter((r) => r.layer === l.layer), aspects: aspects.filter((a) => l.aspects.includes(a.id)), total: false }));
  }

  tableEl(g, locks) {
    return h(
      "table",
      { class: "jury", dataset: g.layer ? { layer: g.layer } : {} },
      g.layer ? h("caption", {}, t(`layer_${g.layer}`)) : null,
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { class: "who-col" }, g.layer ? t(`code_${g.layer}`) : t("competitor")),
          g.aspects.map((a) => h("th", { class: "aspect-head" }, h("div", { class: "aspect-id" }, a.id), h("div", { class: "aspect-hint" }, `${a.hint(t)} · ${a.panel}×`))),
          g.total ? h("th", {}, t("total")) : null,
          h("th", {}, t("signoff")),
          locks ? h("th", {}, t("lock")) : null,
        ),
      ),
      h("tbody", {}, g.rows.map((row) => this.rowEl(row, g.aspects, g.total, locks))),
    );
  }

  stats(rows, aspects) {
    let marks = 0;
    let expected = 0;
    let complete = 0;
    let cells = 0;
    let signedAll = 0;
    for (const row of rows) {
      for (const a of aspects) {
        const cell = row.aspects?.[a.id];
        cells += 1;
        expected += a.panel;
        marks += Math.min(a.panel, Object.keys(cell?.marks || {}).length);
        if (cell?.state === "complete") complete += 1;
      }
      const judges = this.signers(row);
      if (judges.length && judges.every((j) => (row.signed_off || []).includes(j.id))) signedAll += 1;
    }
    return { marks, expected, complete, cells, signedAll };
  }

  // Who signs a competitor off: the judges who mark them, and a chief who marked them (a chief
  // counts toward a panel; the review gate waits for every judge who marked).
  signers(row) {
    const marked = new Set(Object.values(row.aspects || {}).flatMap((a) => Object.keys(a.marks || {})));
    const mine = row.layer ? this.layerAspects?.get(row.layer) : null; // a layer's table: its judges
    return (this.panel?.judges || []).filter(
      (j) => j.aspects.length && (!mine || j.aspects.some((a) => mine.has(a))) && !j.conflicts.includes(row.competitor.id) && (j.role !== "chief" || marked.has(j.id)),
    );
  }

  alerts(rows) {
    const items = [];
    for (const row of rows) {
      for (const [aid, a] of Object.entries(row.aspects || {})) {
        if (!disagrees(a)) continue;
        const marks = Object.entries(a.marks).map(([j, v]) => `${j} ${v}`).join(" · ");
        const spread = a.spread != null ? ` (${t("spread", a.spread)})` : "";
        items.push(h("li", { class: this.flashing.has(`${row.competitor.id}|${aid}`) ? "flash" : "" }, h("b", {}, `#${row.competitor.bib} ${name(row.competitor.name)} · ${aid}`), ` — ${marks}${spread}`));
      }
    }
    for (const row of rows) {
      // 双人录入: two operators typed this judge's sheet differently; the mark is held
      for (const e of row.entries || []) {
        if (!e.mismatch) continue;
        const typed = Object.entries(e.values).map(([op, v]) => `${op} ${v} (${t("sheet")} ${e.sheets[op]})`).join(" · ");
        // the chief resolves it from the paper sheet (the operators' retypes are refused)
        const resolve = h("button", { type: "button", class: "ghost resolve-entry", onclick: () => this.resolve(row.competitor, e) }, t("resolve_entry"));
        items.push(h("li", { class: "entry-mismatch" }, h("b", {}, `#${row.competitor.bib} ${name(row.competitor.name)} · ${e.aspect} · ${e.judge}`), ` — ${t("entries_differ")}: ${typed} `, resolve));
      }
    }
    if (!items.length) return h("div", { class: "alerts ok" }, "✓ " + t("no_disagreements"));
    return h("div", { class: "alerts bad", role: "alert" }, h("div", { class: "alerts-title" }, "⚠ " + t("disagreements", items.length)), h("ul", {}, items));
  }

  rowEl(row, aspects, withTotal = true, withLock = true) {
    const c = row.competitor;
    const locks = row.locked || [];
    const signed = row.signed_off || [];
    const panelJudges = this.signers(row);
    return h(
      "tr",
      { dataset: { competitor: c.id }, class: locks.length ? "locked" : "" },
      h("th", { class: "who-col" }, h("span", { class: "bib" }, c.bib), h("span", { class: "cname" }, name(c.name)), c.delegation ? h("span", { class: "deleg" }, c.delegation) : null),
      aspects.map((a) => this.cellEl(row, a)),
      withTotal ? h("td", { class: "total" }, row.total ?? "—", row.rank ? h("span", { class: "rank" }, `#${row.rank}`) : null) : null,
      h(
        "td",
        { class: "signed", title: signed.join(", ") },
        panelJudges.length ? t("signed_by", panelJudges.filter((j) => signed.includes(j.id)).length, panelJudges.length) : signed.length,
        h("div", { class: "signed-names" }, signed.join(" ")),
      ),
      withLock && h(
        "td",
        { class: "lock-col" },
        locks.length
          ? [h("span", { class: "lock-state" }, icon("lock"), " ", locks.map((l) => (l === "*" || l.startsWith("@") ? t("locked_all") : l)).join(" ")), h("button", { type: "button", class: "ghost", onclick: () => this.unlock(c, locks) }, t("unlock"))]
          : h("button", { type: "button", class: "ghost", onclick: () => this.lock(c) }, t("lock")),
      ),
    );
  }

  cellEl(row, a) {
    const c = row.competitor;
    const cell = row.aspects?.[a.id];
    const marks = cell?.marks || {};
    const key = `${c.id}|${a.id}`;
    const n = Object.keys(marks).length;
    const state = cell ? cell.state : "empty";
    const missingFocus = this.focusJudge && this.eligible(c.id, a.id).some((j) => j.id === this.focusJudge) && !(this.focusJudge in marks);
    let summary;
    const alert = !!cell && disagrees(cell);
    if (alert) {
      // beyond the tolerance as soon as two entries are in; held once the panel is complete
      summary = h("div", { class: "summary" }, "⚠ " + t("spread", cell.spread ?? ""));
    } else if (state === "complete") {
      summary = h("div", { class: "summary" }, cell.value ?? "✓");
    } else {
      summary = h("div", { class: "summary" }, n ? t("awaiting", Math.max(0, a.panel - n)) : "—");
    }
    const flash = this.flashing.has(key) && Date.now() - this.flashing.get(key) < 4000;
    return h(
      "td",
      { class: `jcell ${flash ? "flash" : ""} ${missingFocus ? "missing" : ""} ${alert ? "alert" : ""}`, dataset: { state, competitor: c.id, aspect: a.id } },
      summary,
      h("div", { class: "chips" }, Object.entries(marks).map(([j, v]) => h("span", { class: "chip", title: j }, h("i", {}, short(j)), v))),
      h("div", { class: "count" }, `${n}/${a.panel}`),
    );
  }

  judgesEl(groups) {
    const rows = groups.flatMap((g) => g.rows);
    // a chief who marks nothing is not waited for
    const judges = (this.panel?.judges || []).filter((j) => j.role !== "chief" || rows.some((r) => Object.values(r.aspects || {}).some((a) => j.id in a.marks)));
    const items = judges.map((j) => {
      const missing = [];
      let total = 0;
      for (const g of groups) for (const row of g.rows) {
        const cid = row.competitor.id;
        if (j.conflicts.includes(cid)) continue;
        for (const a of g.aspects) {
          if (!j.aspects.includes(a.id)) continue;
          total += 1;
          if (!(j.id in (row.aspects?.[a.id]?.marks || {}))) missing.push(`#${row.competitor.bib} ${a.id}`);
        }
      }
      const signed = rows.filter((r) => (r.signed_off || []).includes(j.id)).length;
      const done = total - missing.length;
      return h(
        "li",
        { class: "judge" + (this.focusJudge === j.id ? " focus" : ""), onclick: () => this.toggleFocus(j.id) },
        h("div", { class: "judge-line" }, h("b", {}, name(j.name) || j.id), j.role === "chief" ? h("span", { class: "badge" }, "chief") : null, h("span", { class: "judge-count" }, t("of", done, total))),
        h("div", { class: "bar-track" }, h("div", { class: "bar-fill", style: `width:${total ? Math.round((100 * done) / total) : 100}%` })),
        h("div", { class: "judge-missing" }, missing.length ? `${t("not_marked")}: ${missing.slice(0, 6).join(", ")}${missing.length > 6 ? ` +${missing.length - 6}` : ""}` : "✓ " + t("nothing_missing"), ` · ${t("signed_off")} ${signed}`),
      );
    });
    return h("aside", { class: "judges" }, h("h3", {}, t("judges")), h("ul", {}, items));
  }

  toggleFocus(jid) {
    this.focusJudge = this.focusJudge === jid ? null : jid;
    this.render();
  }

  // -- the chief's actions (through the outbox, like marks) -----------------------------

  visibilitySwitch(snap) {
    const current = snap?.visibility;
    return h(
      "div",
      { class: "visibility", role: "group", "aria-label": t("visibility") },
      h("span", { class: "vis-label" }, t("visibility")),
      current === "published" ? h("span", { class: "vis vis-published", "aria-pressed": "true" }, t("vis_published")) : null,
      VISIBILITIES.map((v) =>
        h(
          "button",
          {
            type: "button",
            class: `vis vis-${v}` + (this.pendingVisibility === v ? " waiting" : ""),
            "aria-pressed": String(current === v),
            disabled: !snap || current === "published" || current === v,
            onclick: () => this.setVisibility(v),
          },
          t(`vis_${v}`),
        ),
      ),
    );
  }

  async setVisibility(v) {
    const text = v === "published" ? t("vis_confirm_published") : t("vis_confirm", t(`vis_${v}`));
    if (!(await ask(text, { danger: v === "published" }))) return;
    this.pendingVisibility = v;
    this.s.link.send({ type: "visibility", program: this.pid, visibility: v });
    this.render();
  }

  async resolve(c, e) {
    const value = await ask(`#${c.bib} ${e.aspect} · ${e.judge} — ${t("resolve_value")}`, { input: true, required: true });
    if (!value) return;
    const sheet = Object.values(e.sheets)[0] || "";
    this.s.link.send({ type: "entry", program: this.pid, competitor: c.id, aspect: e.aspect, judge: e.judge, value: value.trim(), sheet });
  }

  lock(c) {
    this.s.link.send({ type: "lock", program: this.pid, competitor: c.id });
  }

  async unlock(c, locks) {
    const why = await ask(`${t("unlock")} #${c.bib} ${name(c.name)} — ${t("unlock_reason")}`, { input: true, required: true });
    if (!why) return;
    for (const l of locks) {
      const frame = { type: "unlock", program: this.pid, competitor: c.id, reason: why };
      if (l !== "*" && !l.startsWith("@")) frame.criterion = l; // "@code": that layer's lock, by its code
      this.s.link.send(frame);
    }
  }
}

// "weld-j1" → "j1": the part that tells judges of one program apart
// A panel whose entries are further apart than the tolerance: live from the second entry
// (the hub's "disagreement" field), or held on the complete panel (the state).
function disagrees(aspect) {
  return aspect.disagreement === true || aspect.state === "disagreement";
}

function short(judgeId) {
  const i = judgeId.lastIndexOf("-");
  return i > 0 ? judgeId.slice(i + 1) : judgeId;
}
