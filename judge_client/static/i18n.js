// Words on the pad and the desk, in English and Chinese, and the hub's error codes in Chinese.
// In English a refused mark shows the hub's own message; in Chinese the catalog below,
// with the hub's message kept as the tooltip.

const STRINGS = {
  en: {
    title: "Scorecast judge pad",
    sign_in: "Sign in",
    sign_out: "Sign out",
    credential: "Your judge credential",
    credential_hint: "Type the credential from your card, or scan its QR code with the tablet's camera.",
    show: "Show",
    signing_in: "Signing in…",
    online: "Online",
    offline: "Offline",
    connecting: "Connecting…",
    waiting: (n) => `${n} waiting to send`,
    all_sent: "All marks sent",
    competitor: "Competitor",
    signoff: "Sign-off",
    sign_off: "Sign off",
    confirm_signoff: "Tap again to sign off",
    signing_off: "Signing off…",
    signed_off: "Signed off",
    pending: "Pending",
    acked: "Accepted",
    refused: "Refused",
    withdrawing: "Clearing…",
    conflict: "Same delegation: another judge marks this",
    locked: "Locked by the chief expert",
    pass: "Pass",
    fail: "Fail",
    range: (lo, hi, step) => `${lo}–${hi}` + (step ? `, step ${step}` : ""),
    not_a_number: "Enter a number",
    out_of_range: (lo, hi) => `Enter a value from ${lo} to ${hi}`,
    off_step: (step, lo) => `Use steps of ${step} from ${lo}`,
    last_accepted: (v) => `last accepted: ${v}`,
    missing_marks: (n) => `${n} mark(s) missing — sign off anyway?`,
    unsent_on_sign_out: (n) => `${n} mark(s) have not reached the hub yet. They stay on this device and go out when you sign in again. Sign out?`,
    desk: "Jury desk",
    my_marks: "My marks",
    visibility: "Results shown to the public",
    vis_live: "Live",
    vis_frozen: "Frozen",
    vis_hidden: "Hidden",
    vis_published: "Published",
    vis_confirm: (v) => `Set the program to "${v}"?`,
    vis_confirm_published: "Publish the results as final? This cannot be undone.",
    disagreements: (n) => (n === 1 ? "1 disagreement beyond tolerance" : `${n} disagreements beyond tolerance`),
    no_disagreements: "No disagreements",
    entries_differ: "the two entries differ",
    sheet: "sheet",
    marks_in: (a, b) => `${a} of ${b} panel marks in`,
    complete_cells: (a, b) => `${a} of ${b} aspects complete`,
    signed_rows: (a, b) => `${a} of ${b} competitors signed off by all`,
    judges: "Judges",
    not_marked: "Not marked yet",
    nothing_missing: "Everything marked",
    of: (a, b) => `${a}/${b}`,
    lock: "Lock",
    unlock: "Unlock",
    locked_all: "Locked",
    unlock_reason: "Why must the marks change? (written to the ledger)",
    reason_needed: "A reason is needed",
    cancel: "Cancel",
    ok: "OK",
    total: "Total",
    rank: "Rank",
    spread: (s) => `spread ${s}`,
    awaiting: (n) => `waiting for ${n}`,
    status_ok: "ok",
    live_board: "Live jury board",
    board_stale: "Reconnecting to the live board…",
    signed_by: (n, m) => `${n}/${m} signed`,
    chief: "Chief expert",
    elsewhere: "This pad is open in another tab or window; marks are entered there.",
    use_here: "Use it here",
    lang: "中文",
  },
  zh: {
    title: "Scorecast 裁判评分板",
    sign_in: "登录",
    sign_out: "退出",
    credential: "裁判凭证",
    credential_hint: "输入凭证卡上的凭证，或用平板相机扫描凭证二维码。",
    show: "显示",
    signing_in: "正在登录…",
    online: "在线",
    offline: "离线",
    connecting: "正在连接…",
    waiting: (n) => `${n} 条待发送`,
    all_sent: "评分已全部发送",
    competitor: "选手",
    signoff: "确认签字",
    sign_off: "签字确认",
    confirm_signoff: "再点一次确认签字",
    signing_off: "正在签字…",
    signed_off: "已签字",
    pending: "待确认",
    acked: "已接收",
    refused: "被拒绝",
    withdrawing: "正在清除…",
    conflict: "同一代表队：由其他裁判评分",
    locked: "裁判长已锁定",
    pass: "合格",
    fail: "不合格",
    range: (lo, hi, step) => `${lo}–${hi}` + (step ? `，步长 ${step}` : ""),
    not_a_number: "请输入数字",
    out_of_range: (lo, hi) => `请输入 ${lo} 到 ${hi} 之间的分值`,
    off_step: (step, lo) => `请按 ${step} 的步长输入（从 ${lo} 起）`,
    last_accepted: (v) => `上次接收：${v}`,
    missing_marks: (n) => `还有 ${n} 项未评分，仍要签字吗？`,
    unsent_on_sign_out: (n) => `还有 ${n} 条评分未送达服务器。它们保留在本设备上，下次登录时自动发送。确定退出？`,
    desk: "裁判长工作台",
    my_marks: "我的评分",
    visibility: "对公众显示的成绩",
    vis_live: "实时",
    vis_frozen: "冻结",
    vis_hidden: "隐藏",
    vis_published: "已发布",
    vis_confirm: (v) => `将本项目设为"${v}"？`,
    vis_confirm_published: "将成绩作为最终结果发布？此操作不可撤销。",
    disagreements: (n) => `${n} 项评分分歧超出允许范围`,
    no_disagreements: "没有评分分歧",
    entries_differ: "两次录入不一致",
    sheet: "评分表",
    marks_in: (a, b) => `已收到 ${a}/${b} 个评分`,
    complete_cells: (a, b) => `${a}/${b} 个评分项已完成`,
    signed_rows: (a, b) => `${a}/${b} 名选手已全部签字`,
    judges: "裁判",
    not_marked: "尚未评分",
    nothing_missing: "全部已评分",
    of: (a, b) => `${a}/${b}`,
    lock: "锁定",
    unlock: "解锁",
    locked_all: "已锁定",
    unlock_reason: "为什么需要修改评分？（记入账本）",
    reason_needed: "必须填写原因",
    cancel: "取消",
    ok: "确定",
    total: "总分",
    rank: "名次",
    spread: (s) => `分差 ${s}`,
    awaiting: (n) => `还差 ${n} 个`,
    status_ok: "正常",
    live_board: "实时评分总览",
    board_stale: "正在重新连接实时数据…",
    signed_by: (n, m) => `${n}/${m} 已签字`,
    chief: "裁判长",
    elsewhere: "评分板已在另一个标签页或窗口中打开，请在那里评分。",
    use_here: "在这里使用",
    lang: "English",
  },
};

// The hub's error codes (docs/protocol.md), in Chinese.
const ERRORS_ZH = {
  bad_credential: "凭证无效，请向组委会索取您的凭证",
  unauthenticated: "尚未登录，请重新登录",
  malformed: "消息格式错误",
  frame_too_large: "消息过大",
  rate_limited: "发送过快，稍后自动重发",
  unknown_type: "未知的消息类型",
  missing_field: "消息缺少字段",
  unknown_field: "消息含有未知字段",
  wrong_type: "字段类型错误",
  unknown_judge: "裁判不在本次比赛名单中",
  unknown_program: "项目不存在",
  unknown_competitor: "选手不在本项目中，请核对参赛号",
  unknown_aspect: "评分项不在本项目中",
  unknown_criterion: "评分模块不在本项目中",
  not_assigned: "您未被分配评判此项，请联系裁判长",
  conflict_of_interest: "您与该选手来自同一代表队，须由其他裁判评分",
  program_published: "本项目成绩已发布，不能再修改",
  locked: "裁判长已锁定该选手的评分，如需修改请裁判长解锁并说明原因",
  signed_off: "您已为该选手签字，如需修改请裁判长解锁",
  no_mark: "您没有该项评分，无需清除",
  already_signed_off: "您已为该选手签字",
  already_locked: "已经锁定",
  not_locked: "未锁定，无需解锁",
  reason_required: "解锁必须填写原因",
  invalid_value: "分值无效",
  out_of_range: "分值超出允许范围",
  off_step: "分值不符合步长要求",
  invalid_transition: "项目状态不能这样切换",
  wrong_role: "只有本项目裁判长可以执行此操作",
  invalid_event: "事件格式错误",
  unavailable: "服务器暂时无法记录，稍后自动重发",
  forbidden: "无权查看此内容",
  unknown_channel: "频道不存在",
};

let lang = localStorage.getItem("scorecast.lang") ||
  ((navigator.language || "en").toLowerCase().startsWith("zh") ? "zh" : "en");

export function getLang() {
  return lang;
}

export function setLang(l) {
  lang = l;
  localStorage.setItem("scorecast.lang", l);
  document.documentElement.lang = l === "zh" ? "zh-CN" : "en";
}

export function t(key, ...args) {
  const v = STRINGS[lang][key] ?? STRINGS.en[key] ?? key;
  return typeof v === "function" ? v(...args) : v;
}

// A refusal as the judge reads it: the hub's message in English, the catalog in Chinese.
export function reason(code, message) {
  if (lang === "zh" && ERRORS_ZH[code]) return ERRORS_ZH[code];
  return message || code;
}

// A bilingual name from the hub ({zh, en}) in the judge's language.
export function name(n) {
  if (n == null) return "";
  if (typeof n === "string") return n;
  return n[lang] || n.en || n.zh || "";
}

setLang(lang);
