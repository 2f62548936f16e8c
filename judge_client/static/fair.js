// The draw (抽签) and decryption (解密) on the desk (issue 15), inside the lifecycle panel.
//
// The chief runs the draw with the seed input the supervisor enters (POST /judge/api/draw, the
// same path as `scorecast draw`), redraws with a reason until the first mark, and asks for the
// decryption once the review is finished; a supervisor confirms it on their own desk (the gate
// override's two steps: `override` and `override_confirm` with gate "decrypt", as
// `scorecast lifecycle override|confirm PROGRAM decrypt`). The draw list with names prints for
// the competitors to sign, for whoever may read it: the supervisor, or the chief once the
// program is not encrypted. What the panel shows comes from the lifecycle report's `fair`.

import { getLang } from "./i18n.js";
import { ask, h, toast } from "./dom.js";
import { icon } from "./icons.js";

const WORDS = {
  en: {
    title: "Draw and decryption",
    title_draw: "Draw (抽签)",
    not_drawn_named: "Not drawn: workstations and the marking order can be drawn before the first mark",
    encrypted: "Encrypted (加密): the desk, the judges and the reviewers see codes until decryption",
    publish_waits: "公示 shows names: decrypt first",
    decrypted: "Decrypted (解密): names are shown",
    not_drawn: "Not drawn yet: marking starts after the draw",
    drawn: (n, seed, seq, hash) => `Drawn${n > 1 ? ` (${n} draws)` : ""}: seed input “${seed}”, ledger #${seq} ${hash.slice(0, 12)}…`,
    redraw_reason: (why) => `redrawn: ${why}`,
    seed: "Seed input (the supervisor enters it)",
    reason: "Reason for the redraw",
    draw: "Draw",
    redraw: "Redraw",
    draw_ask: (seed) => `Draw with the seed input “${seed}”? The draw is recorded in the ledger.`,
    drawn_ok: "Drawn and recorded",
    locked: "Marking has started: the draw can no longer change",
    print: (lang) => `Print the draw list (${lang})`,
    sealed: "The draw list is the key: the supervisor prints it",
    ask_decrypt: "Ask for decryption…",
    ask_decrypt_q: "Ask to open the codes (解密)? A supervisor confirms it on their desk. Note (optional):",
    pending: (who, why) => `Decryption asked by ${who}${why ? `: “${why}”` : ""} — waiting for a supervisor`,
    confirm: "Confirm decryption",
    confirm_q: (who) => `Open the codes that ${who} asked to decrypt? Every screen shows names from then on.`,
  },
  zh: {
    title: "抽签与解密",
    title_draw: "抽签",
    not_drawn_named: "尚未抽签：首个评分前可抽取工位号与评分顺序",
    encrypted: "已加密：解密前工作台、裁判与复核员只看到编号",
    publish_waits: "公示显示姓名：请先解密",
    decrypted: "已解密：显示选手姓名",
    not_drawn: "尚未抽签：抽签后方可评分",
    drawn: (n, seed, seq, hash) => `已抽签${n > 1 ? `（第 ${n} 次）` : ""}：输入值“${seed}”，账本 #${seq} ${hash.slice(0, 12)}…`,
    redraw_reason: (why) => `重新抽签原因：${why}`,
    seed: "抽签输入值（由监督输入）",
    reason: "重新抽签原因",
    draw: "抽签",
    redraw: "重新抽签",
    draw_ask: (seed) => `以输入值“${seed}”抽签？抽签结果记入账本。`,
    drawn_ok: "抽签完成，已记录",
    locked: "评分已开始，抽签结果不能再改",
    print: (lang) => `打印抽签结果确认表（${lang}）`,
    sealed: "抽签表即解密钥匙，由监督打印",
    ask_decrypt: "申请解密…",
    ask_decrypt_q: "申请解密？需监督在其工作台确认。备注（可不填）：",
    pending: (who, why) => `${who} 申请解密${why ? `：“${why}”` : ""}——等待监督确认`,
    confirm: "确认解密",
    confirm_q: (who) => `确认 ${who} 的解密申请？此后所有屏幕显示姓名。`,
  },
};

export function ft(key, ...args) {
  const v = WORDS[getLang()]?.[key] ?? WORDS.en[key] ?? key;
  return typeof v === "function" ? v(...args) : v;
}

// panel: the LifecyclePanel (session, pid, role, send, load); r: its report
export function fairEl(panel, r) {
  const f = r.fair;
  // a program marked under names: the draw only, before its first mark or once drawn
  if (!f || (!f.anonymous && !f.draws && (panel.role !== "chief" || f.marking_started))) return null;
  const chief = panel.role === "chief";
  const supervisor = panel.role === "supervisor";
  const pending = r.overrides?.pending?.decrypt;
  const d = f.draw;
  const lines = [];
  if (f.anonymous) lines.push(h("p", { class: `fair-state ${f.encrypted ? "encrypted" : "decrypted"}` }, f.encrypted ? [icon("lock"), " ", ft("encrypted")] : "✓ " + ft("decrypted")));
  lines.push(h("p", { class: "fair-draw" }, d ? ft("drawn", f.draws, d.seed_input, d.head_seq, d.head_hash) : ft(f.anonymous ? "not_drawn" : "not_drawn_named")));
  if (d && d.reason) lines.push(h("p", { class: "fair-reason" }, ft("redraw_reason", d.reason)));
  const actions = [];
  if (chief && !f.marking_started) actions.push(drawForm(panel, f));
  if (chief && f.marking_started && d) actions.push(h("span", { class: "fair-note" }, ft("locked")));
  if (d && (supervisor || (chief && !f.encrypted))) {
    for (const lang of ["zh", "en"]) actions.push(h("button", { type: "button", class: "ghost print-draw", dataset: { lang }, onclick: () => printList(panel, lang) }, ft("print", lang === "zh" ? "中文" : "English")));
  } else if (d && chief && f.encrypted) {
    actions.push(h("span", { class: "fair-note" }, ft("sealed")));
  }
  if (f.anonymous && f.encrypted) {
    if (pending) lines.push(h("p", { class: "override pending fair-pending" }, ft("pending", pending.chief, pending.reason)));
    if (chief && !pending && d) actions.push(h("button", { type: "button", class: "primary ask-decrypt", onclick: () => askDecrypt(panel) }, ft("ask_decrypt")));
    if (supervisor && pending) actions.push(h("button", { type: "button", class: "primary confirm-decrypt", onclick: () => confirmDecrypt(panel, pending) }, ft("confirm")));
  }
  return h("div", { class: "fair", dataset: { encrypted: String(!!f.encrypted) } }, h("h3", {}, ft(f.anonymous ? "title" : "title_draw")), lines, actions.length ? h("div", { class: "fair-actions" }, actions) : null);
}

function drawForm(panel, f) {
  const seed = h("input", { type: "text", class: "seed-input", "aria-label": ft("seed"), placeholder: ft("seed"), autocomplete: "off" });
  const reason = f.draws ? h("input", { type: "text", class: "redraw-reason", "aria-label": ft("reason"), placeholder: ft("reason") }) : null;
  const go = async (ev) => {
    ev.preventDefault();
    const value = seed.value.trim();
    if (!value) return seed.focus();
    if (!(await ask(ft("draw_ask", value), { danger: !!f.draws }))) return;
    await runDraw(panel, value, reason ? reason.value.trim() : "");
  };
  return h("form", { class: "draw-form", onsubmit: go }, seed, reason, h("button", { type: "submit", class: "primary run-draw" }, f.draws ? ft("redraw") : ft("draw")));
}

async function runDraw(panel, seedInput, reason) {
  try {
    const r = await fetch(`/judge/api/draw/${encodeURIComponent(panel.pid)}`, {
      method: "POST",
      headers: { Authorization: `Bearer ${panel.s.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ seed_input: seedInput, reason }),
    });
    const body = await r.json();
    if (!r.ok) return toast(body.error?.message || body.error?.code || String(r.status), "error");
    toast(ft("drawn_ok"));
    panel.load();
  } catch {
    toast(ft("not_drawn"), "error");
  }
}

async function printList(panel, lang) {
  const r = await fetch(`/judge/api/draw/${encodeURIComponent(panel.pid)}/list?lang=${lang}`, { headers: { Authorization: `Bearer ${panel.s.token}` } });
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    return toast(body.error?.message || String(r.status), "error");
  }
  const html = await r.text();
  const w = window.open("", "_blank");
  if (!w) return toast("allow pop-ups to print", "error");
  w.document.write(html);
  w.document.close();
  w.focus();
  w.print();
}

async function askDecrypt(panel) {
  const note = await ask(ft("ask_decrypt_q"), { input: true });
  if (note === null || note === false) return;
  panel.send({ type: "override", gate: "decrypt", reason: typeof note === "string" ? note : "" });
}

async function confirmDecrypt(panel, pending) {
  if (await ask(ft("confirm_q", pending.chief))) panel.send({ type: "override_confirm", gate: "decrypt" });
}
