// The data-entry operator's screen (双人录入): type a judge's paper sheet, then see whether each
// value agreed with the other operator's entry or is held as a mismatch for the chief.
//
// Entries go out through the pad's outbox (link.js: kept on the device, resent until the hub
// answers, counted once). The ack says where the mark stands (waiting, mismatch, agreed);
// GET /judge/api/me says it again later, once the other operator has typed theirs, or the chief
// resolved a mismatch (resolved). The other operator's values are never shown, and a mismatch
// is not typed again: the chief resolves it from the paper sheet (the hub refuses a retype). In an
// anonymous program the competitor is the code written on the sheet, as the hub asks.

import { name, reason, t } from "./i18n.js";
import { getJSON, h } from "./dom.js";
import { aspectsOf } from "./scheme.js";
import { et } from "./entry_i18n.js";

const POLL_MS = 4000; // while an entry waits for the other operator's
const IDLE_TICKS = 5; // otherwise every 20 s
const KEPT = 300; // entries remembered on this device

// A judge as the operator finds them on the sheet: the name, and the id when it says more.
function judgeLabel(j) {
  const n = name(j.name);
  return n && n !== j.id ? `${n} · ${j.id}` : j.id;
}

export class EntryView {
  constructor(root, { session, pid, data }) {
    this.root = root;
    this.s = session;
    this.pid = pid;
    this.data = data;
    this.records = session.store.get(`entries.${pid}`, []);
    this.form = { sheet: "", judge: "", competitor: "" };
    this.onAnswer = (ev) => this.answered(ev.detail);
    session.link.addEventListener("answer", this.onAnswer);
    this.draw();
    this.refresh();
    this.ticks = 0; // idle, it asks every IDLE_TICKS polls: entries typed on another device
    this.timer = setInterval(() => (this.busy() || ++this.ticks % IDLE_TICKS === 0) && this.refresh(), POLL_MS);
  }

  destroy() {
    clearInterval(this.timer);
    this.s.link.removeEventListener("answer", this.onAnswer);
  }

  get view() {
    return this.s.me?.programs?.[this.pid] || {};
  }

  busy() {
    return this.records.some((r) => r.state === "acked" && (r.status === "waiting" || r.status === "mismatch"));
  }

  save() {
    this.records = this.records.slice(-KEPT);
    this.s.store.set(`entries.${this.pid}`, this.records);
  }

  async refresh() {
    const known = !!this.view.judges;
    try {
      this.s.me = await getJSON("/judge/api/me", this.s.token);
      this.s.store.set("me", this.s.me);
    } catch {
      return; // offline: keep what we had
    }
    this.merge();
    if (!known) this.draw();
    else this.renderEntries();
  }

  // The hub's word on each entry: agreed marks, and the operator's entries it holds.
  merge() {
    const v = this.view;
    const agreed = new Set((v.agreed || []).map((k) => k.join("|")));
    const resolved = new Set((v.resolved || []).map((k) => k.join("|"))); // by the chief
    const held = new Map((v.entries || []).map((e) => [`${e.competitor}|${e.aspect}|${e.judge}`, e]));
    const latest = this.latest();
    for (const r of this.records) {
      if (r.state !== "acked") continue;
      if (latest.get(r.key) !== r) r.status = "replaced";
      else if (resolved.has(r.key)) r.status = "resolved";
      else if (agreed.has(r.key)) r.status = "agreed";
      else if (held.has(r.key)) r.status = held.get(r.key).status;
    }
    for (const [key, e] of held) {
      // typed on another device: shown here too
      if (!latest.has(key)) this.records.push({ ...e, id: `hub:${key}`, key, state: "acked" });
    }
    this.save();
  }

  latest() {
    const out = new Map();
    for (const r of this.records) if (r.state !== "refused") out.set(r.key, r);
    return out;
  }

  answered({ entry, ok, seq, code, message, status }) {
    if (entry.frame.type !== "entry" || entry.frame.program !== this.pid) return;
    const r = this.records.find((x) => x.id === entry.id);
    if (!r) return;
    Object.assign(r, ok ? { state: "acked", status: status || "waiting", seq } : { state: "refused", code, message });
    const latest = this.latest();
    for (const x of this.records) if (x.state === "acked" && latest.get(x.key) !== x) x.status = "replaced";
    this.save();
    this.renderEntries();
  }

  // -- the form ------------------------------------------------------------------------------

  judges() {
    return this.view.judges || [];
  }

  competitors() {
    return (this.data?.competitors || []).slice().sort((a, b) => String(a.bib).localeCompare(String(b.bib), undefined, { numeric: true }));
  }

  layerOf(judgeId) {
    const j = this.judges().find((x) => x.id === judgeId);
    return j ? this.view.layers?.[j.aspects[0]] || "workstation" : "workstation";
  }

  // The language changed (app.js): draw again, keeping what is typed in the form's top row.
  rerender() {
    if (this.root.querySelector("#entry-form")) this.keepForm();
    this.draw();
  }

  draw() {
    if (!this.data) {
      this.root.replaceChildren(h("p", { class: "empty" }, t("connecting")));
      return;
    }
    this.aspects = aspectsOf(this.data.program);
    const v = this.view;
    const field = (label, control, hint) =>
      h("label", { class: "entry-field" }, h("span", { class: "entry-label" }, label), control, hint ? h("span", { class: "hint" }, hint) : null);
    const sheet = h("input", { id: "entry-sheet", type: "text", autocomplete: "off", spellcheck: "false", value: this.form.sheet });
    const judge = h(
      "select",
      { id: "entry-judge", onchange: () => this.pickJudge(judge.value) },
      h("option", { value: "" }, et("pick")),
      this.judges().map((j) => h("option", { value: j.id, selected: j.id === this.form.judge }, judgeLabel(j))),
    );
    let competitor;
    if (v.anonymous) {
      const layer = this.layerOf(this.form.judge);
      competitor = field(
        et("code"),
        h("input", { id: "entry-competitor", type: "text", autocomplete: "off", spellcheck: "false", list: "entry-codes", value: this.form.competitor }),
        et("code_hint", layer),
      );
      competitor.append(h("datalist", { id: "entry-codes" }, (v.codes?.[layer] || []).map((c) => h("option", { value: c }))));
    } else {
      competitor = field(
        et("competitor"),
        h(
          "select",
          { id: "entry-competitor" },
          h("option", { value: "" }, et("pick")),
          this.competitors().map((c) => h("option", { value: c.id, selected: c.id === this.form.competitor }, `${c.bib} · ${name(c.name)}`)),
        ),
      );
    }
    const head = h(
      "div",
      { class: "pad-head" },
      h("h2", {}, name(this.data.program.name)),
      h("span", { class: "entry-badge" }, et("title")),
      v.anonymous ? h("span", { class: "entry-badge anon" }, et("anonymous")) : null,
    );
    if (v.double_entry === false) {
      this.root.replaceChildren(h("div", { class: "entry" }, head, h("p", { class: "empty" }, et("not_double"))));
      return;
    }
    const form = h(
      "form",
      { class: "entry-card", id: "entry-form", autocomplete: "off", onsubmit: (ev) => (ev.preventDefault(), this.send()) },
      h("h3", {}, et("type_sheet")),
      h("div", { class: "entry-row" }, field(et("sheet"), sheet, et("sheet_hint")), field(et("judge"), judge), competitor),
      h("div", { id: "entry-aspects", class: "entry-aspects" }),
      h("p", { class: "error", id: "entry-error", role: "alert" }),
      h(
        "div",
        { class: "entry-actions" },
        h("button", { type: "submit", class: "primary", id: "entry-send" }, et("send")),
        h("button", { type: "button", class: "ghost", onclick: () => this.clear(true) }, et("clear")),
        h("span", { class: "entry-sent", id: "entry-sent", "aria-live": "polite" }),
      ),
    );
    const list = h("section", { class: "entry-card entry-list" }, h("h3", {}, et("entries"), h("span", { class: "entry-counts", id: "entry-counts" })), h("div", { id: "entry-table" }));
    this.root.replaceChildren(h("div", { class: "entry" }, head, h("p", { class: "entry-explain" }, et("explain")), h("div", { class: "entry-layout" }, form, list)));
    this.renderAspects();
    this.renderEntries();
  }

  pickJudge(judgeId) {
    this.keepForm();
    this.form.judge = judgeId;
    this.draw(); // the aspects, and in an anonymous program the layer's codes
  }

  keepForm() {
    const val = (id) => this.root.querySelector(`#${id}`)?.value ?? "";
    this.form = { sheet: val("entry-sheet").trim(), judge: val("entry-judge"), competitor: val("entry-competitor").trim() };
  }

  renderAspects(focus = null) {
    const box = this.root.querySelector("#entry-aspects");
    const j = this.judges().find((x) => x.id === this.form.judge);
    box.replaceChildren(
      ...(j ? j.aspects : []).filter((aid) => this.aspects.has(aid)).map((aid) => {
        const a = this.aspects.get(aid);
        const opts = a.options();
        const problem = h("span", { class: "entry-problem" });
        let control;
        if (opts) {
          control = h("div", { class: `choices n${opts.length}`, role: "group", "aria-label": aid, dataset: { aspect: aid } },
            opts.map((o) => h("button", { type: "button", class: "choice", "aria-pressed": "false", dataset: { value: o },
              onclick: (ev) => { for (const b of control.children) b.setAttribute("aria-pressed", String(b === ev.currentTarget && b.getAttribute("aria-pressed") !== "true")); } },
              a.type === "measurement" ? t(o) : o)));
        } else {
          control = h("input", { class: "value", type: "text", inputmode: "decimal", "aria-label": aid, dataset: { aspect: aid } });
          control.addEventListener("input", () => {
            const p = control.value.trim() ? a.check(control.value) : null;
            problem.textContent = p ? t(p.code, ...(p.args || [])) : "";
          });
        }
        const label = name(a.name);
        return h("div", { class: "entry-aspect" },
          h("div", { class: "entry-aspect-name" }, h("b", {}, aid), label && label !== aid ? ` ${label}` : "", h("span", { class: "aspect-hint" }, a.hint(t))),
          control, problem);
      }),
    );
    if (focus) box.querySelector(`[data-aspect="${focus}"]`)?.focus();
  }

  values() {
    const out = [];
    for (const el of this.root.querySelectorAll("#entry-aspects [data-aspect]")) {
      const aid = el.dataset.aspect;
      const v = el.tagName === "INPUT" ? el.value.trim().replace(",", ".") : el.querySelector('[aria-pressed="true"]')?.dataset.value || "";
      if (v) out.push([aid, v]);
    }
    return out;
  }

  send() {
    this.keepForm();
    const { sheet, judge, competitor } = this.form;
    const error = this.root.querySelector("#entry-error");
    const values = this.values();
    const codes = this.view.codes?.[this.layerOf(judge)] || [];
    const problem =
      !sheet ? et("need_sheet") : !judge ? et("need_judge") : !competitor ? et("need_competitor") :
      this.view.anonymous && !codes.includes(competitor) ? et("unknown_code") :
      !values.length ? et("nothing_to_send") :
      values.map(([aid, v]) => this.aspects.get(aid).check(v)).filter(Boolean).map((p) => t(p.code, ...(p.args || [])))[0];  // prettier-ignore
    error.textContent = problem || "";
    if (problem) return;
    for (const [aid, value] of values) {
      const frame = { type: "entry", program: this.pid, competitor, aspect: aid, judge, value, sheet };
      const e = this.s.link.send(frame);
      this.records.push({ id: e.id, key: `${competitor}|${aid}|${judge}`, sheet, competitor, judge, aspect: aid, value, state: "pending", status: null });
    }
    this.save();
    this.clear(false);
    this.root.querySelector("#entry-sent").textContent = et("sent", values.length);
  }

  // After a sheet: the next competitor's sheet of the same judge (or an empty form).
  clear(all) {
    const list = this.competitors().map((c) => c.id);
    const next = all || this.view.anonymous ? "" : list[list.indexOf(this.form.competitor) + 1] || "";
    this.form = { sheet: "", judge: all ? "" : this.form.judge, competitor: next };
    this.draw();
    this.root.querySelector(all ? "#entry-judge" : "#entry-sheet")?.focus();
  }

  retype(r) {
    this.form = { sheet: r.sheet, judge: r.judge, competitor: r.competitor };
    this.draw();
    this.renderAspects(r.aspect);
  }

  // -- the entries -----------------------------------------------------------------------------

  label(cid) {
    const c = (this.data?.competitors || []).find((x) => x.id === cid);
    return c ? `${c.bib} · ${name(c.name)}` : cid;
  }

  renderEntries() {
    const box = this.root.querySelector("#entry-table");
    if (!box) return;
    const latest = [...this.latest().values()];
    const n = (s) => latest.filter((r) => r.state === "acked" && r.status === s).length;
    this.root.querySelector("#entry-counts").textContent = et("counts", n("agreed"), n("waiting"), n("mismatch"));
    if (!this.records.length) {
      box.replaceChildren(h("p", { class: "empty" }, et("none_yet")));
      return;
    }
    const judges = new Map(this.judges().map((j) => [j.id, judgeLabel(j)]));
    const cols = ["col_sheet", "col_competitor", "col_judge", "col_aspect", "col_value", "col_status"];
    const rows = this.records.slice().reverse().map((r) => {
      const status = r.state === "pending" ? "sending" : r.state === "refused" ? "refused" : r.status || "waiting";
      const text = status === "refused" ? `${et("refused")}: ${reason(r.code, r.message)}` : et(status);
      const measured = this.aspects?.get(r.aspect)?.type === "measurement";
      const cells = [r.sheet, this.label(r.competitor), judges.get(r.judge) || r.judge, r.aspect, measured ? t(r.value) : r.value];
      return h("tr", { dataset: { status, key: r.key } },
        cells.map((c, i) => h("td", { "data-label": et(cols[i]) }, c)),
        h("td", { "data-label": et("col_status"), class: "entry-status" }, h("span", {}, text),
          status === "refused" ? h("button", { type: "button", class: "ghost retype", onclick: () => this.retype(r) }, et("retype")) : null));
    });
    box.replaceChildren(h("table", { class: "entries" }, h("thead", {}, h("tr", {}, cols.map((c) => h("th", { scope: "col" }, et(c))))), h("tbody", {}, rows)));
  }
}
