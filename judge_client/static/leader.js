// The delegation leader's page (领队): during 公示, appeal a result of one of your
// delegation's competitors (optionally one aspect), in writing, until the deadline; follow
// each appeal to its ruling. Programs come from the public API, the leader's own view of
// each from GET /judge/api/lifecycle/{program}; an appeal is a frame through the outbox.

import { name } from "./i18n.js";
import { getJSON, h, toast } from "./dom.js";
import { clock, stageBar } from "./lifecycle.js";
import { lt, why } from "./lifecycle_i18n.js";

export class LeaderView {
  constructor(root, ctx) {
    this.root = root;
    this.s = ctx.session;
    this.delegation = this.s.welcome?.judge?.delegation;
    this.programs = [];
    this.views = {}; // pid → {life, board, scheme}
    this.onAnswer = (ev) => this.answered(ev.detail);
    this.s.link.addEventListener("answer", this.onAnswer);
    this.load();
    this.timer = setInterval(() => this.load(), 5000);
    this.render();
  }

  destroy() {
    clearInterval(this.timer);
    this.s.link.removeEventListener("answer", this.onAnswer);
  }

  rerender() {
    this.render();
  }

  async load() {
    try {
      this.programs = await getJSON("/api/v1/programs");
      for (const p of this.programs) {
        const life = await getJSON(`/judge/api/lifecycle/${encodeURIComponent(p.id)}`, this.s.token);
        const v = (this.views[p.id] = this.views[p.id] || {});
        v.life = life;
        if (life.stage === "publication" || life.stage === "final" || life.appeals.length) {
          v.board = await getJSON(`/api/v1/programs/${encodeURIComponent(p.id)}/leaderboard`);
          v.scheme = v.scheme || (await getJSON(`/api/v1/programs/${encodeURIComponent(p.id)}`));
        }
      }
      if (!this.typing()) this.render();
    } catch {
      /* offline: keep what we had */
    }
  }

  // a leader writing an appeal is not interrupted by a redraw
  typing() {
    const el = document.activeElement;
    return !!el && this.root.contains(el) && ["TEXTAREA", "INPUT", "SELECT"].includes(el.tagName) && !!el.value && el.tagName !== "SELECT";
  }

  answered({ entry, ok, code, message }) {
    if (entry.frame.type !== "appeal") return;
    toast(ok ? lt("sent") : why(code, message), ok ? "info" : "error");
    this.load();
  }

  render() {
    const cards = this.programs.map((p) => this.card(p, this.views[p.id]));
    this.root.replaceChildren(
      h("div", { class: "desk leader" }, h("div", { class: "desk-head" }, h("h2", {}, lt("leader_title"), this.delegation ? ` · ${this.delegation}` : "")), h("p", { class: "intro" }, lt("leader_intro")), cards),
    );
  }

  card(p, v) {
    const life = v?.life;
    if (!life) return null;
    const own = new Set(life.competitors);
    const rows = (v.board?.rows || []).filter((r) => own.has(r.competitor.id));
    const open = life.open && life.objections_until && Date.now() < life.objections_until;
    return h(
      "section",
      { class: `lp lp-${life.stage}`, dataset: { program: p.id } },
      h("h3", {}, name(p.name)),
      stageBar(life.stage, life.objections_until),
      rows.length
        ? h("table", { class: "lp-rows" }, h("tbody", {}, rows.map((r) => h("tr", {}, h("td", {}, r.rank ?? ""), h("td", {}, `#${r.competitor.bib} ${name(r.competitor.name)}`), h("td", { class: "total" }, r.total ?? "–"), h("td", {}, r.award || "")))))
        : null,
      open ? this.form(p, life, v) : life.stage !== "final" ? h("p", { class: "empty" }, lt("appeal_closed")) : null,
      life.appeals.length ? h("div", { class: "appeals" }, h("h4", {}, lt("your_appeals")), h("ul", {}, life.appeals.map((a) => this.appealEl(a, rows)))) : null,
    );
  }

  appealEl(a, rows) {
    const who = rows.find((r) => r.competitor.id === a.competitor)?.competitor;
    const state = a.ruling || "open";
    return h(
      "li",
      { class: `appeal appeal-${state}`, dataset: { appeal: a.id } },
      h("b", {}, who ? `#${who.bib} ${name(who.name)}` : a.competitor),
      a.aspect ? ` · ${a.aspect}` : "",
      ` (${clock(a.ts)}): `,
      h("q", {}, a.text),
      h("div", { class: "a-state" }, lt(`appeal_${state}`), a.ruling ? ` — ${a.reason} (${clock(a.ruled)})` : ""),
    );
  }

  form(p, life, v) {
    const comps = (v.board?.rows || []).filter((r) => life.competitors.includes(r.competitor.id));
    const who = h("select", { class: "f-competitor", "aria-label": lt("competitor") }, comps.map((r) => h("option", { value: r.competitor.id }, `#${r.competitor.bib} ${name(r.competitor.name)} · ${r.total ?? "–"}`)));
    const aspects = (v.scheme?.criteria || []).flatMap((c) => c.aspects);
    const aspect = h("select", { class: "f-aspect", "aria-label": lt("aspect_optional") }, h("option", { value: "" }, lt("whole_result")), aspects.map((a) => h("option", { value: a.id }, `${a.id} ${name(a.name)}`)));
    const text = h("textarea", { class: "f-text", rows: 3, maxlength: 512, "aria-label": lt("appeal_text"), placeholder: lt("appeal_text") });
    const submit = (ev) => {
      ev.preventDefault();
      if (!text.value.trim()) return toast(lt("text_needed"), "error");
      const frame = { type: "appeal", program: p.id, competitor: who.value, text: text.value.trim() };
      if (aspect.value) frame.aspect = aspect.value;
      this.s.link.send(frame);
      text.value = "";
      document.activeElement?.blur();
    };
    return h(
      "form",
      { class: "appeal-form", onsubmit: submit },
      h("label", {}, lt("competitor"), who),
      h("label", {}, lt("aspect_optional"), aspect),
      h("label", { class: "wide" }, lt("appeal_text"), text),
      h("button", { type: "submit", class: "primary" }, lt("file_appeal")),
    );
  }
}
