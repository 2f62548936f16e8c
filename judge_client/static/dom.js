// Small DOM helpers shared by the pad and the desk.

import { t } from "./i18n.js";

// h("td", {class: "cell", onclick: fn}, child, "text", ...)
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k in el && typeof v !== "string") el[k] = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

// A modal question; resolves to true/false, or to the typed text (null when cancelled).
export function ask(text, { input = false, required = false, danger = false } = {}) {
  const dialog = document.getElementById("dialog");
  const field = document.getElementById("dialog-input");
  const error = document.getElementById("dialog-error");
  const ok = document.getElementById("dialog-ok");
  document.getElementById("dialog-text").textContent = text;
  document.getElementById("dialog-cancel").textContent = t("cancel");
  ok.textContent = t("ok");
  ok.classList.toggle("danger", danger);
  field.hidden = !input;
  field.value = "";
  error.textContent = "";
  return new Promise((resolve) => {
    const onClose = () => {
      dialog.removeEventListener("close", onClose);
      ok.removeEventListener("click", onOk);
      if (dialog.returnValue !== "ok") resolve(input ? null : false);
      else resolve(input ? field.value.trim() : true);
    };
    const onOk = (ev) => {
      if (input && required && !field.value.trim()) {
        ev.preventDefault();
        error.textContent = t("reason_needed");
        field.focus();
      }
    };
    ok.addEventListener("click", onOk);
    dialog.addEventListener("close", onClose);
    dialog.returnValue = "";
    dialog.showModal();
    if (input) field.focus();
  });
}

let toastTimer = null;
export function toast(text, kind = "info") {
  const el = document.getElementById("toast");
  el.textContent = text;
  el.dataset.kind = kind;
  el.hidden = false;
  el.onclick = () => (el.hidden = true);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (el.hidden = true), kind === "error" ? 5000 : 2500);
}

export async function getJSON(url, token) {
  const headers = token ? { Authorization: `Bearer ${token}` } : {};
  const r = await fetch(url, { headers, cache: "no-store" });
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    const err = new Error(body?.error?.message || `${r.status}`);
    err.status = r.status;
    err.code = body?.error?.code;
    throw err;
  }
  return r.json();
}
