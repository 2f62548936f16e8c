// The program's record on the chief's desk (issue 13): every mark, withdrawal, sign-off, lock,
// unlock, visibility and status change and amendment as the ledger holds them, oldest first,
// filterable by competitor and judge (GET /api/v1/programs/{id}/history). The panel is folded
// until opened; it loads when opened, on "Show", and pages on with "More".

import { getLang, name } from "./i18n.js";
import { getJSON, h } from "./dom.js";

const WORDS = {
  en: {
    title: "Record of this program", competitor: "Competitor", judge: "Judge", any: "any",
    show: "Show", more: "More", none: "No events on the record for this filter.",
    seq: "Seq", time: "Time", author: "By", kind: "Event", aspect: "Aspect", what: "Value / reason",
    count: (n, more) => `${n} event(s)${more ? ", more on the record" : ""}`,
    kinds: { mark: "mark", withdraw: "withdrawal", signoff: "sign-off", lock: "lock", unlock: "unlock",
      visibility: "visibility", status: "status", amendment: "amendment", competition: "competition", draw: "draw", decrypt: "decryption" },
  },
  zh: {
    title: "本项目记录", competitor: "选手", judge: "裁判", any: "全部",
    show: "显示", more: "更多", none: "该筛选条件下没有记录。",
    seq: "序号", time: "时间", author: "操作人", kind: "事件", aspect: "评分项", what: "分值 / 原因",
    count: (n, more) => `${n} 条记录${more ? "，还有更多" : ""}`,
    kinds: { mark: "评分", withdraw: "撤回", signoff: "签字确认", lock: "锁定", unlock: "解锁",
      visibility: "公开状态", status: "选手状态", amendment: "赛事变更", competition: "赛事定义", draw: "抽签", decrypt: "解密" },
  },
};

function w(key, ...args) {
  const v = (WORDS[getLang()] || WORDS.en)[key];
  return typeof v === "function" ? v(...args) : v;
}

// What an event says besides who, whom and which aspect.
function what(e) {
  const f = e.fields || {};
  const parts = [f.value, f.status, f.visibility, f.stage, f.reason].filter((x) => x != null && x !== "");
  if (Array.isArray(f.aspects) && f.aspects.length) parts.unshift(f.aspects.join(" "));
  return parts.join(" · ");
}

export class HistoryPanel {
  // competitors(): [{id, label}] of the jury board; judges(): [{id, label}] of the panel
  constructor({ pid, token, competitors, judges }) {
    this.pid = pid;
    this.token = token;
    this.competitors = competitors;
    this.judges = judges;
    this.events = null; // not loaded yet
    this.next = null;
    this.competitor = h("select", { name: "competitor" });
    this.judge = h("select", { name: "judge" });
    this.out = h("div", { class: "rh-out" });
    this.words = { summary: h("summary"), competitor: h("span"), judge: h("span"), show: h("button", { type: "submit", class: "ghost" }) };
    const form = h(
      "form",
      { class: "rh-filters" },
      h("label", {}, this.words.competitor, this.competitor),
      h("label", {}, this.words.judge, this.judge),
      this.words.show,
    );
    form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.load(false);
    });
    this.root = h("details", { class: "record-history" }, this.words.summary, form, this.out);
    this.root.addEventListener("toggle", () => {
      if (!this.root.open) return;
      this.fill();
      this.load(false);
    });
    this.lang = null;
  }

  // The panel, in the desk's language (the desk renders on every change and on a switch).
  el() {
    if (this.lang !== getLang()) {
      this.lang = getLang();
      this.words.summary.textContent = w("title");
      this.words.competitor.textContent = w("competitor");
      this.words.judge.textContent = w("judge");
      this.words.show.textContent = w("show");
      if (this.root.open) {
        this.fill();
        this.show();
      }
    }
    return this.root;
  }

  fill() {
    for (const [sel, items] of [[this.competitor, this.competitors()], [this.judge, this.judges()]]) {
      const keep = sel.value;
      sel.replaceChildren(h("option", { value: "" }, w("any")), ...items.map((x) => h("option", { value: x.id }, x.label)));
      sel.value = items.some((x) => x.id === keep) ? keep : "";
    }
  }

  async load(more) {
    const q = new URLSearchParams({ limit: "200" });
    if (this.competitor.value) q.set("competitor", this.competitor.value);
    if (this.judge.value) q.set("judge", this.judge.value);
    if (more && this.next != null) q.set("after", String(this.next));
    try {
      const r = await getJSON(`/api/v1/programs/${encodeURIComponent(this.pid)}/history?${q}`, this.token);
      this.events = more ? [...(this.events || []), ...r.events] : r.events;
      this.next = r.next;
      this.show();
    } catch (e) {
      this.out.replaceChildren(h("p", { class: "error", role: "alert" }, e.message));
    }
  }

  show() {
    if (this.events == null) return;
    if (!this.events.length) {
      this.out.replaceChildren(h("p", { class: "empty" }, w("none")));
      return;
    }
    const labels = new Map(this.competitors().map((x) => [x.id, x.label]));
    const kinds = w("kinds");
    const row = (e) => h(
      "tr",
      { dataset: { seq: e.seq, kind: e.kind } },
      h("td", { class: "num" }, e.seq),
      h("td", {}, e.time ? new Date(e.time).toLocaleString(getLang() === "zh" ? "zh-CN" : "en-GB") : ""),
      h("td", {}, e.author || "—"),
      h("td", {}, kinds[e.kind] || e.kind),
      h("td", {}, e.fields?.competitor ? labels.get(e.fields.competitor) || e.fields.competitor : ""),
      h("td", {}, e.fields?.aspect || ""),
      h("td", {}, what(e)),
    );
    const head = ["seq", "time", "author", "kind", "competitor", "aspect", "what"].map((k) => h("th", {}, w(k)));
    const more = this.next != null ? [h("button", { type: "button", class: "ghost rh-more", onclick: () => this.load(true) }, w("more"))] : [];
    this.out.replaceChildren(
      h("p", { class: "rh-count" }, w("count", this.events.length, this.next != null)),
      h("div", { class: "rh-scroll" }, h("table", { class: "rh-table" }, h("thead", {}, h("tr", {}, head)), h("tbody", {}, this.events.map(row)))),
      ...more,
    );
  }
}

// The labels the desk gives competitors and judges in the filters.
export function labelled(rows, judges) {
  return {
    competitors: () => rows().map((r) => ({ id: r.competitor.id, label: `#${r.competitor.bib} ${name(r.competitor.name)}` })),
    judges: () => judges().map((j) => ({ id: j.id, label: name(j.name) || j.id })),
  };
}
