// The organizer's desk (/organizer): small amendments on the record, the amendments so far,
// and a program's history. Every action is POST /api/v1/amendments with a reason; the same
// actions are `scorecast add-judge`, `assign-judge`, `correct-competitor`, `set-status`.

import { getJSON, h, toast } from "./dom.js";

const $ = (id) => document.getElementById(id);
const TOKEN_KEY = "scorecast.organizer";
const LANG_KEY = "scorecast.lang";

const WORDS = {
  en: {
    title: "Organizer desk", sign_in: "Sign in", sign_out: "Sign out", lang: "中文",
    credential: "Your organizer credential", not_organizer: "This credential is not an organizer's.",
    add_judge: "Add a judge", assign_judge: "Reassign a judge", correct: "Correct a competitor",
    status: "Set a status", record: "Amendments on the record", history: "Program history",
    id: "Id", name_zh: "Name (Chinese)", name_en: "Name (English)", delegation: "Delegation",
    role: "Role", program: "Program", criteria: "Criteria (empty: all)", reason: "Reason (kept on the record)",
    judge: "Judge", assignments: "Assignments, e.g. weld:A,B; cnc", competitor: "Competitor", bib: "Bib",
    record_it: "Record", load: "Show", credential_once: "Credential of the new judge (shown once; hand it over now):",
    recorded: (seq) => `Recorded at seq ${seq}`, seq: "Seq", time: "Time", author: "Author", what: "What",
    kind: "Event", aspect: "Aspect", value: "Value", none: "Nothing yet.", any: "any", reason_needed: "Give a reason.",
  },
  zh: {
    title: "组委会工作台", sign_in: "登录", sign_out: "退出", lang: "EN",
    credential: "组委会凭证", not_organizer: "此凭证不属于组委会。",
    add_judge: "增加裁判", assign_judge: "调整裁判分工", correct: "更正选手信息",
    status: "设置选手状态", record: "已记录的变更", history: "项目记录",
    id: "编号", name_zh: "姓名（中文）", name_en: "姓名（英文）", delegation: "代表队",
    role: "角色", program: "项目", criteria: "评分模块（留空：全部）", reason: "原因（记入记录）",
    judge: "裁判", assignments: "分工，例如 weld:A,B; cnc", competitor: "选手", bib: "参赛号",
    record_it: "记录", load: "显示", credential_once: "新裁判的凭证（仅显示一次，请立即交给本人）：",
    recorded: (seq) => `已记录，序号 ${seq}`, seq: "序号", time: "时间", author: "操作人", what: "内容",
    kind: "事件", aspect: "评分项", value: "分值", none: "暂无。", any: "全部", reason_needed: "请填写原因。",
  },
};

let lang = localStorage.getItem(LANG_KEY) || (navigator.language.startsWith("zh") ? "zh" : "en");
const t = (key, ...args) => {
  const w = WORDS[lang][key] ?? WORDS.en[key] ?? key;
  return typeof w === "function" ? w(...args) : w;
};
const nm = (n) => (n ? n[lang] || n.zh || n.en || "" : "");
const when = (ts) => (ts ? new Date(ts).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB") : "");

function tokenFromUrl() {
  // /organizer#token=<credential> (what `scorecast demo` prints): taken, then kept off the screen
  const m = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!m) return null;
  window.history.replaceState(null, "", location.pathname + location.search);
  return decodeURIComponent(m[1]);
}

let token = tokenFromUrl() || sessionStorage.getItem(TOKEN_KEY) || "";
let data = null;

function field(label, input) {
  return h("label", { class: "org-field" }, h("span", {}, label), input);
}
function select(options, attrs = {}) {
  return h("select", attrs, options.map(([v, text]) => h("option", { value: v }, text)));
}
const text = (attrs = {}) => h("input", { type: "text", spellcheck: "false", ...attrs });

async function post(change, reason) {
  const r = await fetch("/api/v1/amendments", {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ reason, ...change }),
  });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body?.error?.message || `HTTP ${r.status}`);
  return body;
}

// One form: its fields, and what its Record button sends.
function card(title, fields, change, after) {
  const reason = text({ required: true });
  const error = h("p", { class: "error", role: "alert" });
  const out = h("div", { class: "org-out" });
  const button = h("button", { type: "submit", class: "primary" }, t("record_it"));
  const form = h("form", { class: "card org-card" }, h("h2", {}, title), fields,
    field(t("reason"), reason), error, h("div", { class: "signin-actions" }, button), out);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    if (!reason.value.trim()) { error.textContent = t("reason_needed"); return; }
    button.disabled = true;
    try {
      const answer = await post(change(), reason.value.trim());
      toast(`${t("recorded", answer.seq)}: ${answer.summary}`);
      out.replaceChildren(h("p", {}, `${t("recorded", answer.seq)}: ${answer.summary}`));
      if (after) after(answer, out);
      reason.value = "";
      await load(false);
    } catch (e) {
      error.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

function programOptions() { return data.programs.map((p) => [p.id, `${nm(p.name)} (${p.id})`]); }
function delegationOptions(blank) {
  return [...(blank ? [["", "—"]] : []), ...data.delegations.map((d) => [d.code, `${nm(d.name)} (${d.code})`])];
}
function competitorsOf(pid) { return data.programs.find((p) => p.id === pid)?.competitors || []; }

function competitorPicker(onPick) {
  const prog = select(programOptions());
  const comp = select([]);
  const fill = () => {
    comp.replaceChildren(...competitorsOf(prog.value).map((c) =>
      h("option", { value: c.id }, `#${c.bib} ${nm(c.name)} (${c.id})`)));
    if (onPick) onPick(prog.value, comp.value);
  };
  prog.addEventListener("change", fill);
  comp.addEventListener("change", () => onPick && onPick(prog.value, comp.value));
  return { prog, comp, fill };
}

function addJudge() {
  const id = text({ required: true }), zh = text(), en = text();
  const deleg = select(delegationOptions(true));
  const role = select([["judge", "judge"], ["chief", "chief"], ["organizer", "organizer"]]);
  const prog = select([["", "—"], ...programOptions()]);
  const crit = text({ placeholder: "A,B" });
  const change = () => {
    const judge = { id: id.value.trim(), role: role.value, assignments: [] };
    const name = {};
    if (zh.value.trim()) name.zh = zh.value.trim();
    if (en.value.trim()) name.en = en.value.trim();
    if (Object.keys(name).length) judge.name = name;
    if (deleg.value) judge.delegation = deleg.value;
    if (prog.value) {
      const a = { program: prog.value };
      const c = crit.value.split(",").map((x) => x.trim()).filter(Boolean);
      if (c.length) a.criteria = c;
      judge.assignments.push(a);
    }
    return { add_judge: judge };
  };
  const showCredential = (answer, out) => {
    out.append(h("p", {}, t("credential_once")), h("code", { class: "org-credential" }, answer.credential));
  };
  return card(t("add_judge"), [field(t("id"), id), field(t("name_zh"), zh), field(t("name_en"), en),
    field(t("delegation"), deleg), field(t("role"), role), field(t("program"), prog),
    field(t("criteria"), crit)], change, showCredential);
}

function assignJudge() {
  const judge = select(data.judges.map((j) => [j.id, `${nm(j.name) || j.id} (${j.id})`]));
  const spec = text({ required: true });
  const show = () => {
    const j = data.judges.find((x) => x.id === judge.value);
    spec.value = (j?.assignments || []).map((a) => a.program + (a.criteria ? `:${a.criteria.join(",")}` : "")).join("; ");
  };
  judge.addEventListener("change", show);
  show();
  const change = () => ({
    assign_judge: {
      judge: judge.value,
      assignments: spec.value.split(";").map((s) => s.trim()).filter(Boolean).map((s) => {
        const [program, crit] = s.split(":");
        const a = { program: program.trim() };
        if (crit) a.criteria = crit.split(",").map((x) => x.trim()).filter(Boolean);
        return a;
      }),
    },
  });
  return card(t("assign_judge"), [field(t("judge"), judge), field(t("assignments"), spec)], change);
}

function correctCompetitor() {
  const zh = text(), en = text(), bib = text(), deleg = select(delegationOptions(true));
  const picker = competitorPicker((pid, cid) => {
    const c = competitorsOf(pid).find((x) => x.id === cid);
    zh.value = c?.name?.zh || ""; en.value = c?.name?.en || ""; bib.value = c?.bib || ""; deleg.value = c?.delegation || "";
  });
  picker.fill();
  const change = () => {
    const c = competitorsOf(picker.prog.value).find((x) => x.id === picker.comp.value) || {};
    const fix = { competitor: picker.comp.value };
    const name = { zh: zh.value.trim(), en: en.value.trim() };
    if (name.zh !== (c.name?.zh || "") || name.en !== (c.name?.en || "")) fix.name = name;
    if (bib.value.trim() && bib.value.trim() !== c.bib) fix.bib = bib.value.trim();
    if (deleg.value && deleg.value !== c.delegation) fix.delegation = deleg.value;
    return { correct_competitor: fix };
  };
  return card(t("correct"), [field(t("program"), picker.prog), field(t("competitor"), picker.comp),
    field(t("name_zh"), zh), field(t("name_en"), en), field(t("bib"), bib), field(t("delegation"), deleg)], change);
}

function setStatus() {
  const status = select([["ok", "ok"], ["DNS", "DNS"], ["DNF", "DNF"], ["DSQ", "DSQ"]]);
  const picker = competitorPicker((pid, cid) => {
    status.value = competitorsOf(pid).find((x) => x.id === cid)?.status || "ok";
  });
  picker.fill();
  const change = () => ({ set_status: { program: picker.prog.value, competitor: picker.comp.value, status: status.value } });
  return card(t("status"), [field(t("program"), picker.prog), field(t("competitor"), picker.comp), field(t("status"), status)], change);
}

function table(head, rows) {
  if (!rows.length) return h("p", { class: "hint" }, t("none"));
  return h("div", { class: "org-table" }, h("table", {}, h("thead", {}, h("tr", {}, head.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, rows.map((r) => h("tr", {}, r.map((x) => h("td", {}, x ?? "")))))));
}

function amendments() {
  return h("section", { class: "card org-card org-wide" }, h("h2", {}, t("record")),
    table([t("seq"), t("time"), t("author"), t("what"), t("reason")],
      data.amendments.map((a) => [a.seq, when(a.ts), a.author || "—", a.summary || a.kind, a.reason])));
}

function historyCard() {
  const prog = select(programOptions());
  const comp = text({ placeholder: t("any") });
  const judge = text({ placeholder: t("any") });
  const out = h("div");
  const show = async () => {
    const q = new URLSearchParams({ limit: "1000" });
    if (comp.value.trim()) q.set("competitor", comp.value.trim());
    if (judge.value.trim()) q.set("judge", judge.value.trim());
    try {
      const r = await getJSON(`/api/v1/programs/${encodeURIComponent(prog.value)}/history?${q}`, token);
      out.replaceChildren(table([t("seq"), t("time"), t("author"), t("kind"), t("competitor"), t("aspect"), t("value")],
        r.events.map((e) => [e.seq, e.time ? new Date(e.time).toLocaleString() : "", e.author, e.kind,
          e.fields.competitor, e.fields.aspect, e.fields.value ?? e.fields.status ?? e.fields.reason ?? e.fields.visibility])));
    } catch (e) {
      out.replaceChildren(h("p", { class: "error" }, e.message));
    }
  };
  const form = h("form", { class: "org-filters" }, field(t("program"), prog), field(t("competitor"), comp),
    field(t("judge"), judge), h("button", { type: "submit", class: "primary" }, t("load")));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); show(); });
  return h("section", { class: "card org-card org-wide" }, h("h2", {}, t("history")), form, out);
}

async function load(full = true) {
  data = await getJSON("/api/v1/amendments", token);
  if (!full) {
    const record = document.querySelector(".org-record");
    if (record) record.replaceChildren(amendments());
    return;
  }
  $("view").replaceChildren(
    h("h1", { class: "org-title" }, t("title")),
    h("div", { class: "org-grid" }, addJudge(), assignJudge(), correctCompetitor(), setStatus()),
    h("div", { class: "org-record" }, amendments()),
    historyCard(),
  );
}

function showSignIn(error = "") {
  $("bar").hidden = true;
  $("view").replaceChildren();
  $("signin").hidden = false;
  $("signin-title").textContent = t("title");
  $("token-label").textContent = t("credential");
  $("signin-button").textContent = t("sign_in");
  $("signin-lang").textContent = t("lang");
  $("signin-error").textContent = error;
}

async function start() {
  try {
    await load();
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    token = "";
    showSignIn(e.code === "wrong_role" ? t("not_organizer") : e.message);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $("signin").hidden = true;
  $("bar").hidden = false;
  $("brand").textContent = `Scorecast · ${t("title")}`;
  $("who").textContent = token.slice(0, token.lastIndexOf("."));
  $("lang").textContent = t("lang");
  $("signout").textContent = t("sign_out");
}

function toggleLang(then) {
  lang = lang === "zh" ? "en" : "zh";
  localStorage.setItem(LANG_KEY, lang);
  document.documentElement.lang = lang;
  then();
}

$("signin-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  token = $("token").value.trim();
  if (token) start();
});
$("signin-lang").addEventListener("click", () => toggleLang(() => showSignIn()));
$("lang").addEventListener("click", () => toggleLang(start));
$("signout").addEventListener("click", () => {
  sessionStorage.removeItem(TOKEN_KEY);
  token = "";
  showSignIn();
});
document.documentElement.lang = lang;
if (token) start();
else showSignIn();
