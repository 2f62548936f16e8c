// The way to official results (issue 14) on the desk: the stage, the next gate and what it is
// missing, overrides (a reason, then a supervisor), the review set with its error rate, the
// appeals and their rulings, the corrections and the history. One panel serves the chief,
// a supervisor, a reviewer and an arbitrator: each sees the buttons of their own role.
// It reads GET /judge/api/lifecycle/{program}; every action is a frame through the outbox.

import { name } from "./i18n.js";
import { ask, getJSON, h, toast } from "./dom.js";
import { lt, why } from "./lifecycle_i18n.js";
import { fairEl, ft } from "./fair.js";

export const STAGES = ["marking", "review", "publication", "final"];
const FRAMES = ["stage", "override", "override_confirm", "reviewed", "correct", "appeal", "ruling"];

export function clock(ms) {
  if (ms == null) return "";
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

function duration(ms) {
  if (ms % 3600000 === 0) return `${ms / 3600000} h`;
  return ms % 60000 === 0 ? `${ms / 60000} min` : `${ms / 1000} s`;
}


export function stageBar(stage, until) {
  const at = STAGES.indexOf(stage);
  return h(
    "ol",
    { class: "stages", "aria-label": lt("lifecycle") },
    STAGES.map((s, i) =>
      h(
        "li",
        { class: `stage ${i < at ? "done" : ""} ${i === at ? "current" : ""}`, "aria-current": i === at ? "step" : null, dataset: { stage: s } },
        lt(`stage_${s}`),
        i === at && s === "publication" && until ? h("span", { class: "until" }, ` · ${lt("until", clock(until))}`) : null,
      ),
    ),
  );
}

export class LifecyclePanel {
  // ctx: {session, pid, data}; role: the signed-in person's role; onChange: redraw the host
  constructor(ctx, role, onChange) {
    this.s = ctx.session;
    this.pid = ctx.pid;
    this.data = ctx.data;
    this.role = role;
    this.onChange = onChange;
    this.report = null;
    this.form = null; // the open correction form: {cid, appeal}
    this.onAnswer = (ev) => this.answered(ev.detail);
    this.s.link.addEventListener("answer", this.onAnswer);
    this.load();
    this.timer = setInterval(() => this.load(), 3000);
  }

  destroy() {
    clearInterval(this.timer);
    this.s.link.removeEventListener("answer", this.onAnswer);
  }

  async load() {
    try {
      const report = await getJSON(`/judge/api/lifecycle/${encodeURIComponent(this.pid)}`, this.s.token);
      const changed = JSON.stringify(report) !== JSON.stringify(this.report);
      if (this.report?.fair?.encrypted && !report.fair?.encrypted) await this.decrypted();
      this.report = report;
      if (changed) this.onChange();
    } catch {
      /* offline: keep what we had */
    }
  }

  // 解密: the program's names replace the codes it was shown under
  async decrypted() {
    try {
      const competitors = await getJSON(`/api/v1/programs/${encodeURIComponent(this.pid)}/competitors`);
      if (this.data) this.data.competitors = competitors;
    } catch {
      /* offline: ids until the next load */
    }
  }

  answered({ entry, ok, code, message }) {
    const f = entry.frame;
    if (f.program !== this.pid || !FRAMES.includes(f.type)) return;
    if (!ok) toast(why(code, message), "error");
    else toast(lt("sent"));
    this.load();
  }

  send(frame) {
    this.s.link.send({ program: this.pid, ...frame });
  }

  who(cid) {
    const c = (this.data?.competitors || []).find((x) => x.id === cid);
    return c ? `#${c.bib} ${name(c.name)}` : cid;
  }

  el() {
    const r = this.report;
    if (!r) return h("section", { class: "life" }, stageBar("marking"));
    return h(
      "section",
      { class: "life", dataset: { stage: r.stage } },
      stageBar(r.stage, r.objections_until),
      fairEl(this, r),
      this.gateEl(r),
      this.reviewEl(r),
      this.appealsEl(r),
      this.correctionsEl(r),
      this.historyEl(r),
    );
  }

  // -- the gate -----------------------------------------------------------------------

  gateEl(r) {
    const g = r.gate;
    if (!g) return r.stage === "final" ? h("p", { class: "life-final" }, "✓ " + lt("final_results")) : null;
    const chief = this.role === "chief";
    const pending = r.overrides.pending[g.gate];
    const confirmed = r.overrides.confirmed[g.gate];
    const open = g.met || !!confirmed;
    const sealed = g.gate === "publication" && !!r.fair?.encrypted; // 公示 waits for 解密
    const items = [
      ...g.marks.map((m) => h("li", { class: "miss-mark" }, h("b", {}, `#${m.bib} ${m.aspect}`), ` — ${lt("have_need", m.have, m.need)}`, m.judges.length ? ` (${m.judges.join(", ")})` : "")),
      ...g.signoffs.map((s) => h("li", { class: "miss-signoff" }, h("b", {}, `#${s.bib}`), ` — ${lt("no_signoff", s.judge)}`)),
      ...g.reviews.map((x) => h("li", { class: "miss-review" }, h("b", {}, `#${x.bib}`), ` — ${lt("not_reviewed")}`)),
    ];
    const counts = [];
    if (g.counts.marks) counts.push(lt("missing_marks", g.counts.marks));
    if (g.counts.signoffs) counts.push(lt("missing_signoffs", g.counts.signoffs));
    if (g.counts.reviews) counts.push(lt("missing_reviews", g.counts.reviews));
    const next = g.gate === "review" ? "start_review" : "publish";
    return h(
      "div",
      { class: `gate ${g.met ? "met" : "unmet"}`, dataset: { gate: g.gate } },
      h("h3", {}, lt(`gate_${g.gate}`), ": ", g.met ? "✓ " + lt("gate_met") : counts.join(" · ")),
      items.length ? h("ul", { class: "missing", tabindex: "0", "aria-label": lt(`gate_${g.gate}`) }, items) : null,
      pending ? h("p", { class: "override pending" }, lt("override_pending", pending.chief, pending.reason)) : null,
      confirmed ? h("p", { class: "override confirmed" }, lt("override_confirmed", confirmed.chief, confirmed.reason, confirmed.supervisor)) : null,
      h(
        "div",
        { class: "gate-actions" },
        chief ? h("button", { type: "button", class: `primary go-${g.gate}`, disabled: !open || sealed, onclick: () => this.advance(g.gate, r) }, lt(next)) : null,
        chief && sealed && open ? h("span", { class: "fair-note" }, ft("publish_waits")) : null,
        chief && !g.met && !pending && !confirmed ? h("button", { type: "button", class: "ghost override-btn", onclick: () => this.override(g.gate) }, lt("override")) : null,
        chief && r.stage === "review" ? h("button", { type: "button", class: "ghost reopen-btn", onclick: () => this.reopen() }, lt("reopen")) : null,
        this.role === "supervisor" && pending ? h("button", { type: "button", class: "primary confirm-override", onclick: () => this.confirmOverride(g.gate, pending) }, lt("confirm_override")) : null,
      ),
    );
  }

  async advance(gate, r) {
    const text = gate === "review" ? lt("review_ask") : lt("publish_ask", duration(r.window_ms));
    if (!(await ask(text, { danger: gate === "publication" }))) return;
    this.send({ type: "stage", stage: gate });
  }

  async override(gate) {
    const reason = await ask(lt("override_ask", lt(`gate_${gate}`)), { input: true, required: true });
    if (reason) this.send({ type: "override", gate, reason });
  }

  async confirmOverride(gate, pending) {
    if (await ask(lt("confirm_override_ask", lt(`gate_${gate}`), pending.chief, pending.reason))) this.send({ type: "override_confirm", gate });
  }

  async reopen() {
    const reason = await ask(lt("reopen_ask"), { input: true, required: true, danger: true });
    if (reason) this.send({ type: "stage", stage: "marking", reason });
  }

  // -- the review -------------------------------------------------------------------

  reviewEl(r) {
    const rv = r.review;
    if (!rv || r.stage === "marking") return null;
    const reviewer = this.role === "reviewer" && r.stage === "review";
    const rows = rv.members.map((cid) => {
      const by = rv.reviewed[cid];
      const corrected = rv.corrected.includes(cid);
      return h(
        "li",
        { class: `member ${by ? "done" : ""} ${corrected ? "corrected" : ""}`, dataset: { competitor: cid } },
        h("span", { class: "m-who" }, this.who(cid), rv.top.includes(cid) ? h("span", { class: "badge" }, "top") : null),
        h("span", { class: "m-state" }, by ? "✓ " + lt("reviewed_by", by) : lt("not_reviewed"), corrected ? ` · ${lt("corrected")}` : ""),
        reviewer && !by
          ? h("span", { class: "m-actions" }, h("button", { type: "button", class: "ghost correct-btn", onclick: () => this.openForm(cid, "") }, lt("correct")), h("button", { type: "button", class: "primary reviewed-btn", onclick: () => this.send({ type: "reviewed", competitor: cid }) }, lt("confirm")))
          : null,
        this.form && this.form.cid === cid && !this.form.appeal ? this.formEl(r, cid, "") : null,
      );
    });
    return h(
      "div",
      { class: "review" },
      h("h3", {}, lt("review"), " · ", h("span", { class: `rate ${rv.full ? "over" : ""}` }, lt("error_rate", rv.error_rate, rv.threshold)), " · ", lt("left", rv.left)),
      rv.full ? h("p", { class: "full-review", role: "status" }, "⚠ " + lt("full_review")) : null,
      h("ul", { class: "members" }, rows),
      h("p", { class: "seed" }, `${lt("seed")}: ${rv.seed} · ${rv.head.slice(0, 16)}…`),
    );
  }

  openForm(cid, appeal) {
    this.form = { cid, appeal };
    this.onChange();
  }

  formEl(r, cid, appeal) {
    const marks = r.marks[cid] || {};
    const options = [];
    for (const [aid, panel] of Object.entries(marks)) for (const [j, v] of Object.entries(panel)) options.push(h("option", { value: `${aid}|${j}` }, `${aid} · ${j} (${v})`));
    const pick = h("select", { class: "f-mark", "aria-label": lt("aspect_judge") }, options);
    const value = h("input", { class: "f-value", inputmode: "decimal", "aria-label": lt("new_value"), placeholder: lt("new_value") });
    const reason = h("input", { class: "f-reason", "aria-label": lt("reason"), placeholder: lt("reason") });
    const submit = (ev) => {
      ev.preventDefault();
      if (!value.value.trim() || !reason.value.trim()) return toast(lt("reason"), "error");
      const [aspect, judge] = pick.value.split("|");
      const frame = { type: "correct", competitor: cid, aspect, judge, value: value.value.trim(), reason: reason.value.trim() };
      if (appeal) frame.appeal = appeal;
      this.send(frame);
      this.form = null;
      this.onChange();
    };
    return h(
      "form",
      { class: "correct-form", onsubmit: submit },
      h("b", {}, lt("correct_title", this.who(cid))),
      h("label", {}, lt("aspect_judge"), pick),
      h("label", {}, lt("new_value"), value),
      h("label", {}, lt("reason"), reason),
      h("span", {}, h("button", { type: "submit", class: "primary" }, lt("send")), h("button", { type: "button", class: "ghost", onclick: () => { this.form = null; this.onChange(); } }, lt("cancel"))),
    );
  }

  // -- appeals -------------------------------------------------------------------------

  appealsEl(r) {
    if (r.stage !== "publication" && r.stage !== "final" && !r.appeals.length) return null;
    const items = r.appeals.map((a) => {
      const state = a.ruling || "open";
      const arb = this.role === "arbitrator" && !a.ruling;
      const chief = this.role === "chief" && a.ruling === "upheld";
      return h(
        "li",
        { class: `appeal appeal-${state}`, dataset: { appeal: a.id } },
        h("div", {}, h("b", {}, this.who(a.competitor)), a.aspect ? ` · ${a.aspect}` : "", ` — ${a.author}, ${clock(a.ts)}: `, h("q", {}, a.text)),
        h("div", { class: "a-state" }, lt(`appeal_${state}`), a.ruling ? ` (${a.arbitrator}, ${clock(a.ruled)}: ${a.reason})` : ""),
        arb ? h("span", { class: "a-actions" }, h("button", { type: "button", class: "ghost dismiss-btn", onclick: () => this.rule(a, "dismissed") }, lt("dismiss")), h("button", { type: "button", class: "primary uphold-btn", onclick: () => this.rule(a, "upheld") }, lt("uphold"))) : null,
        chief ? h("button", { type: "button", class: "ghost correct-after", onclick: () => this.openForm(a.competitor, a.id) }, lt("correct_after")) : null,
        this.form && this.form.appeal === a.id ? this.formEl(r, a.competitor, a.id) : null,
      );
    });
    return h("div", { class: "appeals" }, h("h3", {}, lt("appeals")), items.length ? h("ul", {}, items) : h("p", { class: "empty" }, lt("no_appeals")));
  }

  async rule(a, ruling) {
    const reason = await ask(lt("ruling_ask", lt(`appeal_${ruling}`)), { input: true, required: true });
    if (reason) this.send({ type: "ruling", appeal: a.id, ruling, reason });
  }

  correctionsEl(r) {
    if (!r.corrections.length) return null;
    return h(
      "div",
      { class: "corrections" },
      h("h3", {}, lt("corrections")),
      h("ul", {}, r.corrections.map((c) => h("li", {}, h("b", {}, this.who(c.competitor)), ` ${c.aspect} · ${c.judge}: `, h("s", {}, c.previous ?? "–"), " → ", h("b", {}, c.value ?? "–"), ` (${clock(c.ts)}, ${c.author}: ${c.reason})`))),
    );
  }

  historyEl(r) {
    if (!r.history.length) return null;
    const line = (x) => {
      const what = lt(`h_${x.what}`);
      const detail = x.stage ? lt(`stage_${x.stage}`) : x.competitor ? this.who(x.competitor) : x.gate ? lt(`gate_${x.gate}`) : "";
      const why_ = x.reason ? ` — “${x.reason}”` : "";
      return h("li", {}, h("time", {}, clock(x.ts)), ` ${what} ${detail}${why_} · ${x.author}`);
    };
    return h("details", { class: "history" }, h("summary", {}, `${lt("history")} (${r.history.length})`), h("ol", {}, r.history.slice().reverse().map(line)));
  }
}

// A whole view for the people of the procedure who have no marks to enter: a supervisor,
// a reviewer, an arbitrator (one program per tab).
export class LifecycleView {
  constructor(root, ctx) {
    this.root = root;
    this.panel = new LifecyclePanel(ctx, ctx.session.welcome?.judge?.role, () => this.render());
    this.title = ctx.data?.program ? name(ctx.data.program.name) : ctx.pid;
    this.render();
  }

  destroy() {
    this.panel.destroy();
  }

  rerender() {
    this.render();
  }

  render() {
    this.root.replaceChildren(h("div", { class: "desk life-view" }, h("div", { class: "desk-head" }, h("h2", {}, this.title)), this.panel.el()));
  }
}
