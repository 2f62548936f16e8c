// The judge's grid: competitors × the aspects the judge is assigned, one cell per mark.
//
// A cell is empty, pending (queued or sent, no answer yet), acked, or refused (with the
// hub's reason). Choices with few values are buttons; other values are typed and checked
// against the scheme's range and step as the judge types. A competitor is signed off
// from the last column; after that the row is read-only.

import { name, reason, t } from "./i18n.js";
import { ask, h } from "./dom.js";
import { Aspect, aspectsOf } from "./scheme.js";
import { icon as svg } from "./icons.js";

export class Pad {
  constructor(root, { session, pid, data }) {
    this.root = root;
    this.s = session;
    this.book = session.book;
    this.pid = pid;
    this.data = data;
    this.els = new Map();
    this.onChange = (ev) => this.changed(ev.detail);
    this.onState = () => this.renderBanner();
    this.book.addEventListener("change", this.onChange);
    session.link.addEventListener("state", this.onState);
    session.link.addEventListener("queued", this.onState);
    session.link.addEventListener("answer", this.onState);
    this.rerender();
  }

  destroy() {
    this.book.removeEventListener("change", this.onChange);
    this.s.link.removeEventListener("state", this.onState);
    this.s.link.removeEventListener("queued", this.onState);
    this.s.link.removeEventListener("answer", this.onState);
  }

  get mine() {
    return this.s.me?.programs?.[this.pid] || { aspects: [], marks: {}, signed_off: [], locked: {}, conflicts: [] };
  }

  assignment() {
    return (this.s.welcome.assignments || []).find((x) => x.program === this.pid);
  }

  // the aspects marked on the pad: those on paper (双人录入) are typed by data entry
  aspectIds() {
    const a = this.assignment();
    return a ? a.aspects.filter((x) => !(a.paper || []).includes(x)) : [];
  }

  changed({ pid, cid, aid }) {
    if (pid && pid !== this.pid) return;
    if (!cid) {
      for (const c of this.data?.competitors || []) this.refreshRow(c.id);
    } else if (aid) {
      this.refreshCell(cid, aid);
    } else {
      this.refreshRow(cid);
    }
    this.renderBanner();
  }

  // -- rendering -------------------------------------------------------------------------

  rerender() {
    this.els.clear();
    if (!this.data) {
      this.root.replaceChildren(h("p", { class: "empty" }, t("connecting")));
      return;
    }
    const { program, competitors } = this.data;
    this.aspects = aspectsOf(program);
    const ids = this.aspectIds().filter((a) => this.aspects.has(a));
    const head = h(
      "tr",
      {},
      h("th", { class: "who-col", scope: "col" }, t("competitor")),
      ids.map((aid) => {
        const a = this.aspects.get(aid);
        const label = name(a.name);
        return h(
          "th",
          { scope: "col", class: "aspect-head" },
          h("div", { class: "aspect-id" }, aid, label && label !== aid ? h("span", { class: "aspect-name" }, label) : null),
          h("div", { class: "aspect-hint" }, a.hint(t)),
        );
      }),
      h("th", { scope: "col", class: "signoff-col" }, t("signoff")),
    );
    const body = competitors
      .slice()
      // an anonymous program's codes come in the drawn marking order (`order`), others by bib
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || String(a.bib).localeCompare(String(b.bib), undefined, { numeric: true }))
      .map((c) => {
        const tr = h(
          "tr",
          { dataset: { competitor: c.id } },
          h(
            "th",
            { scope: "row", class: "who-col" },
            h("span", { class: "bib" }, c.bib),
            h("span", { class: "cname" }, name(c.name)),
            c.delegation ? h("span", { class: "deleg" }, c.delegation) : null,
          ),
          // a judge of both layers (anonymous): a row per layer, with that layer's aspects only
          ids.map((aid) => (c.aspects && !c.aspects.includes(aid) ? h("td", { class: "cell other-layer" }) : this.cellEl(c, this.aspects.get(aid)))),
          this.signoffEl(c),
        );
        this.els.set(`row|${c.id}`, tr);
        return tr;
      });
    this.root.replaceChildren(
      h(
        "div",
        { class: "pad" },
        h("div", { class: "pad-head" }, h("h2", {}, name(program.name)), h("div", { class: "banner", id: "pad-banner" })),
        this.paperNote(),
        h("div", { class: "grid-wrap" }, h("table", { class: "grid" }, h("thead", {}, head), h("tbody", {}, body))),
        h(
          "div",
          { class: "legend" },
          h("span", { class: "dot pending" }), t("pending"),
          h("span", { class: "dot acked" }), t("acked"),
          h("span", { class: "dot refused" }), t("refused"),
        ),
      ),
    );
    for (const c of competitors) this.refreshRow(c.id);
    this.renderBanner();
  }

  paperNote() {
    const paper = (this.assignment()?.paper || []).filter((a) => this.aspects.has(a));
    if (!paper.length) return null;
    const names = paper.map((aid) => { const n = name(this.aspects.get(aid).name); return n && n !== aid ? `${aid} ${n}` : aid; });  // prettier-ignore
    return h("p", { class: "pad-paper", id: "pad-paper" }, t("paper_aspects", names.join(", ")));
  }

  renderBanner() {
    const el = this.root.querySelector("#pad-banner");
    if (!el) return;
    const st = this.s.link.state;
    el.dataset.state = st;
    el.textContent = st === "online" ? "" : `${t(st === "connecting" ? "connecting" : "offline")} — ${t("waiting", this.s.outbox.length)}`;
  }

  cellEl(c, a) {
    const key = `${this.pid}|${c.id}|${a.id}`;
    const opts = a.options();
    let entry;
    if (opts) {
      entry = h(
        "div",
        { class: `choices n${opts.length}`, role: "group", "aria-label": `${c.bib} ${a.id}` },
        opts.map((v) =>
          h(
            "button",
            { type: "button", class: "choice", dataset: { value: v }, onclick: () => this.commit(c, a, v) },
            a.type === "measurement" ? t(v) : v,
          ),
        ),
      );
    } else {
      const input = h("input", {
        class: "value",
        type: "text",
        inputmode: "decimal",
        autocomplete: "off",
        "aria-label": `${c.bib} ${a.id}`,
        dataset: { competitor: c.id, aspect: a.id },
      });
      input.addEventListener("beforeinput", (ev) => {
        if (ev.data && !Aspect.allowedChars(a.type).test(ev.data)) ev.preventDefault();
      });
      input.addEventListener("input", () => this.typed(c, a, input));
      input.addEventListener("keydown", (ev) => {
        if (ev.key === "Enter") {
          ev.preventDefault();
          if (this.commitTyped(c, a, input)) this.focusNext(input);
        } else if (ev.key === "Escape") {
          input.value = this.book.cell(this.pid, c.id, a.id)?.value ?? "";
          this.typed(c, a, input);
        }
      });
      input.addEventListener("change", () => this.commitTyped(c, a, input));
      entry = h("div", { class: "typed" }, input);
    }
    const td = h(
      "td",
      { class: "cell", dataset: { competitor: c.id, aspect: a.id } },
      entry,
      h("div", { class: "status" }, h("span", { class: "icon" }), h("span", { class: "text" })),
    );
    this.els.set(key, td);
    return td;
  }

  signoffEl(c) {
    const button = h("button", { type: "button", class: "signoff", onclick: () => this.signoff(c, button) }, t("sign_off"));
    const td = h("td", { class: "signoff-col" }, button, h("div", { class: "status" }));
    this.els.set(`signoff|${c.id}`, td);
    return td;
  }

  focusNext(input) {
    const all = Array.from(this.root.querySelectorAll("input.value:not(:disabled)"));
    const next = all[all.indexOf(input) + 1];
    if (next) next.focus();
  }

  rowLocked(cid, a) {
    const locks = this.mine.locked?.[cid] || [];
    return locks.includes("*") || locks.includes(a.criterion) || locks.some((l) => l.startsWith("@")); // "@code": the row's layer
  }

  // A competitor the judge may not mark: a conflict of interest, or (an anonymous program) a
  // code assigned to other judges, shown without a reason.
  notMine(cid) {
    return (this.mine.conflicts || []).includes(cid) || (this.mine.others || []).includes(cid);
  }

  refreshRow(cid) {
    for (const aid of this.aspectIds()) this.refreshCell(cid, aid);
    const signed = this.book.signoff(this.pid, cid);
    const td = this.els.get(`signoff|${cid}`);
    const tr = this.els.get(`row|${cid}`);
    if (!td) return;
    const button = td.querySelector("button");
    const status = td.querySelector(".status");
    td.dataset.state = signed?.state || "";
    tr.classList.toggle("signed", signed?.state === "acked");
    const ids = this.aspectIds();
    const allConflict = ids.length > 0 && this.notMine(cid);
    button.hidden = allConflict || signed?.state === "acked" || signed?.state === "pending";
    button.textContent = t("sign_off");
    button.classList.remove("confirming");
    status.textContent =
      signed?.state === "acked" ? `✓ ${t("signed_off")}` :
      signed?.state === "pending" ? t("signing_off") :
      signed?.state === "refused" ? `✗ ${reason(signed.code, signed.message)}` : "";
    status.title = signed?.message || "";
  }

  refreshCell(cid, aid) {
    const key = `${this.pid}|${cid}|${aid}`;
    const td = this.els.get(key);
    if (!td) return;
    const a = this.aspects.get(aid);
    const cell = this.book.cell(this.pid, cid, aid);
    const signed = this.book.signoff(this.pid, cid);
    const conflict = this.notMine(cid);
    const others = (this.mine.others || []).includes(cid); // anonymous: why is not said
    const locked = this.rowLocked(cid, a);
    const readOnly = conflict || locked || signed?.state === "acked" || signed?.state === "pending";
    td.dataset.state = conflict ? "conflict" : cell?.state || "empty";
    td.classList.toggle("locked", locked);
    td.classList.remove("invalid");
    const shown = cell ? (cell.withdraw ? "" : cell.value) : "";
    for (const b of td.querySelectorAll("button.choice")) {
      b.disabled = readOnly;
      b.setAttribute("aria-pressed", String(shown !== "" && a.canonical(shown) === b.dataset.value));
    }
    const input = td.querySelector("input.value");
    if (input) {
      input.disabled = readOnly;
      if (document.activeElement !== input) input.value = shown ?? "";
    }
    const icon = td.querySelector(".icon");
    const text = td.querySelector(".text");
    text.title = "";
    if (conflict) {
      icon.replaceChildren(svg("ban"));
      text.textContent = t(others ? "assigned_to_others" : "conflict");
    } else if (locked && (!cell || cell.state !== "refused")) {
      icon.replaceChildren(svg("lock"));
      text.textContent = t("locked");
    } else if (!cell) {
      icon.textContent = "";
      text.textContent = "";
    } else if (cell.state === "pending") {
      icon.replaceChildren(svg("clock"));
      text.textContent = cell.withdraw ? t("withdrawing") : t("pending");
    } else if (cell.state === "acked") {
      icon.textContent = "✓";
      text.textContent = cell.seq ? `${t("acked")} #${cell.seq}` : t("acked");
    } else if (cell.state === "refused") {
      icon.textContent = "✗";
      text.textContent = reason(cell.code, cell.message) + (cell.accepted != null ? ` (${t("last_accepted", cell.accepted)})` : "");
      text.title = cell.message || "";
    }
  }

  // -- entering ------------------------------------------------------------------------

  typed(c, a, input) {
    const td = this.els.get(`${this.pid}|${c.id}|${a.id}`);
    const v = input.value;
    const problem = v.trim() === "" ? null : a.check(v);
    td.classList.toggle("invalid", !!problem);
    if (problem) {
      td.querySelector(".icon").textContent = "!";
      td.querySelector(".text").textContent = t(problem.code, ...(problem.args || []));
    } else {
      this.refreshCell(c.id, a.id);
      td.classList.remove("invalid");
    }
  }

  commitTyped(c, a, input) {
    const cell = this.book.cell(this.pid, c.id, a.id);
    const v = input.value.trim().replace(",", ".");
    const current = cell && !cell.withdraw ? cell.value : "";
    if (v === (current ?? "")) return true;
    if (v === "") {
      this.book.withdraw(this.pid, c.id, a.id);
      return true;
    }
    if (a.check(v)) return false; // the cell says why; nothing is sent
    this.book.mark(this.pid, c.id, a.id, v);
    return true;
  }

  commit(c, a, value) {
    this.book.mark(this.pid, c.id, a.id, value);
  }

  async signoff(c, button) {
    if (!button.classList.contains("confirming")) {
      button.classList.add("confirming");
      button.textContent = t("confirm_signoff");
      setTimeout(() => {
        if (button.classList.contains("confirming")) this.refreshRow(c.id);
      }, 4000);
      return;
    }
    const missing = this.aspectIds().filter((aid) => {
      const cell = this.book.cell(this.pid, c.id, aid);
      return !cell || cell.withdraw || cell.state === "refused";
    }).length;
    if (missing && !(await ask(t("missing_marks", missing)))) {
      this.refreshRow(c.id);
      return;
    }
    this.book.signOff(this.pid, c.id);
  }
}
