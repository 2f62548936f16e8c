/* Scorecast live client: keeps a server-rendered page current from /ws/live.
 *
 * One WebSocket per page. Each channel the page shows is subscribed with the
 * version held, so after a disconnect the hub sends only the deltas missed (or
 * a fresh snapshot when it no longer has them). While the link is down the
 * page is dimmed under a visible "reconnecting" notice: never a stale board
 * shown as if it were live. No dependencies.
 *
 * Markup contract (display/templates/macros.html): a list container has
 * data-channel, data-source (rows | medals) and a <template> of one item;
 * items carry data-id, data-class and [data-f] fields filled by the rules
 * of display/fields.py, mirrored in FIELDS below.
 */
(() => {
  'use strict';
  const cfgEl = document.getElementById('live-config');
  if (!cfgEl) return;
  const cfg = JSON.parse(cfgEl.textContent);
  const LANGS = ['zh', 'en'];
  const msg = (id) => (cfg.msgs && cfg.msgs[id]) || id;
  const motion = !window.matchMedia('(prefers-reduced-motion: reduce)').matches;

  // -- fields: the same rules as display/fields.py ------------------------------------
  const DASH = '–';
  const VIS = { live: 'Live', frozen: 'Frozen', hidden: 'In progress', published: 'Official' };
  const STATUS = { DNS: 'DNS', DNF: 'DNF', DSQ: 'DSQ' };
  const STAGE = { // display/lifecycle.py STAGE_WORDS
    marking: 'Marking in progress',
    review: 'Under review',
    publication: 'Published for objections',
    final: 'Final results',
  };
  const pad = (n) => String(n).padStart(2, '0');
  const slug = (t) => String(t).toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'x';

  function clock(ts) {
    if (typeof ts !== 'number') return '';
    const d = new Date(ts);
    return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }

  // display/lifecycle.py words(): the stage in words, with the objection deadline in 公示
  function stageWords(snap) {
    const life = snap.lifecycle || {};
    const stage = life.stage || 'marking';
    const until = clock(life.objections_until);
    if (stage === 'publication' && until) {
      return msg('Published for objections: objections until {time}').replace('{time}', until);
    }
    return msg(STAGE[stage] || STAGE.marking);
  }

  // display/lifecycle.py mark_rows(): rows under appeal (申诉中) and corrected rows (更正)
  function markRows(snap) {
    const appealed = new Set((snap.appeals || []).map((a) => a.competitor));
    const corrected = new Map((snap.corrections || []).map((c) => [c.competitor, c]));
    if (!appealed.size && !corrected.size) return snap;
    const rows = (snap.rows || []).map((r) => {
      const cid = r.competitor && r.competitor.id;
      if (!appealed.has(cid) && !corrected.has(cid)) return r;
      const out = { ...r };
      if (appealed.has(cid)) out.appealed = true;
      if (corrected.has(cid)) {
        const c = corrected.get(cid);
        out.correction = { previous: c.previous, value: c.value };
      }
      return out;
    });
    return { ...snap, rows };
  }

  function pickName(n) {
    if (n == null) return '';
    if (typeof n === 'string') return n;
    return n[cfg.lang] || n.zh || Object.values(n)[0] || '';
  }

  function otherName(n) {
    if (n == null || typeof n !== 'object') return '';
    const other = LANGS.filter((x) => x !== cfg.lang && n[x]).map((x) => n[x])[0] || '';
    return other === pickName(n) ? '' : other;
  }

  function field(item, f) {
    const comp = item.competitor;
    switch (f) {
      case 'rank':
        return item.rank == null ? '' : String(item.rank);
      case 'total':
        if (item.total != null) return String(item.total);
        return STATUS[item.status] ? msg(STATUS[item.status]) : DASH;
      case 'name':
        return pickName(comp ? comp.name : item.name);
      case 'name_alt':
        return otherName(comp ? comp.name : item.name);
      case 'bib':
        return comp && !comp.coded ? String(comp.bib) : ''; // a code is the name already
      case 'delegation':
      case 'delegation_name': {
        const code = comp ? comp.delegation : item.delegation;
        if (f === 'delegation' || code == null) return code || '';
        return pickName(cfg.delegations[code]) || code;
      }
      case 'award':
        return item.award ? msg(item.award) : '';
      case 'titles':
        return (item.titles || []).map(msg).join(' · ');
      case 'program_name':
        return pickName(item.program_name);
      case 'visibility': // an overview program: in 公示 public, not final yet
        return item.lifecycle === 'publication' ? msg(STAGE.publication) : msg(VIS[item.visibility] || 'Live');
      case 'progress':
        // completed marking (every panel of the competitor complete), of all competitors
        return item.visibility === 'hidden' ? '' : `${item.complete ?? item.with_result ?? 0} / ${item.competitors || 0}`;
      case 'time':
        return clock(item.ts);
      case 'correction': {
        const c = item.correction;
        return c ? `${msg('correction')} ${c.previous || DASH} → ${c.value || DASH}` : '';
      }
      case 'stage':
        return item.stage && item.stage !== 'marking' ? msg(STAGE[item.stage] || '') : '';
      default: {
        let v = item;
        for (const part of f.split('.')) v = v && typeof v === 'object' && !Array.isArray(v) ? v[part] : undefined;
        return v == null ? '' : String(v);
      }
    }
  }

  function classes(item) {
    const out = [];
    for (const flag of ['provisional', 'pending', 'tied', 'unresolved_tie', 'best_of_delegation', 'no_medal', 'appealed']) {
      if (item[flag]) out.push('is-' + flag.replace(/_/g, '-'));
    }
    if (item.status && item.status !== 'ok') out.push('status-' + slug(item.status));
    if (item.award) {
      out.push('award-' + slug(item.award));
      const i = (cfg.medals || []).indexOf(item.award);
      if (i >= 0) out.push('medal-' + (i + 1));
    }
    if (item.correction) out.push('is-corrected');
    if ('total' in item && item.total == null) out.push('is-unscored');
    if (item.visibility) out.push('vis-' + slug(item.visibility));
    return out.join(' ');
  }

  // The medal table as shown: display/data.py medal_view (medal winners ranked, the others after
  // them unranked; no medal at all: no rows, and the state says why; the programs in 公示 that
  // it does not count yet).
  function medalView(snap) {
    const rows = snap.medals || [];
    const won = rows.filter((r) => Number(r.total) > 0);
    const notCounted = Number(snap.not_counted || 0);
    if (!won.length) {
      const final = (snap.rows || []).some((p) => p.lifecycle === 'final');
      return { state: final ? 'no_medals' : 'no_results', rows: [], not_counted: notCounted };
    }
    const rest = rows.filter((r) => !(Number(r.total) > 0)).map((r) => ({ ...r, rank: null, no_medal: true }));
    return { state: 'ranked', rows: won.concat(rest), not_counted: notCounted };
  }

  function link(kind, item) {
    if (kind === 'competitor' && item.competitor && item.competitor.coded) return '#'; // by code: no page
    const id = kind === 'competitor' ? item.competitor.id : kind === 'delegation' ? item.delegation : item.id;
    const base = { competitor: '/competitors/', delegation: '/delegations/', program: '/programs/' }[kind];
    return base + encodeURIComponent(id);
  }

  const key = (item) => String(item.id != null ? item.id : item.competitor ? item.competitor.id : item.delegation);

  function fill(el, item) {
    for (const node of el.querySelectorAll('[data-f]')) {
      const text = field(item, node.dataset.f);
      if (node.textContent !== text) node.textContent = text;
    }
    for (const a of el.querySelectorAll('[data-link]')) a.setAttribute('href', link(a.dataset.link, item));
    el.className = `${el.dataset.class} ${classes(item)}`.trim();
  }

  // -- deltas: a port of scoreboard/views.py apply_delta ------------------------------
  const rowId = (r) => String(r.id != null ? r.id : r.competitor.id);

  function applyDelta(snapshot, delta) {
    if (delta.from !== snapshot.version) {
      throw new Error(`delta from version ${delta.from} does not apply to version ${snapshot.version}`);
    }
    const rows = new Map();
    let order = [];
    for (const r of snapshot.rows) {
      rows.set(rowId(r), r);
      order.push(rowId(r));
    }
    for (const r of delta.rows || []) {
      const id = rowId(r);
      if (!rows.has(id)) order.push(id);
      rows.set(id, r);
    }
    for (const id of delta.removed || []) rows.delete(id);
    for (const [id, rank] of Object.entries(delta.ranks || {})) { // rows whose rank alone changed
      if (!rows.has(id)) throw new Error(`delta ranks ${id}, which is not a row of version ${snapshot.version}`);
      rows.set(id, { ...rows.get(id), rank });
    }
    order = 'order' in delta ? [...delta.order] : order.filter((id) => rows.has(id));
    const out = {};
    for (const [k, v] of Object.entries(snapshot)) if (k !== 'rows' && k !== 'version') out[k] = v;
    Object.assign(out, delta.header || {});
    out.version = delta.version;
    out.rows = order.map((id) => {
      if (!rows.has(id)) throw new Error(`order names ${id}, which is not a row`);
      return rows.get(id);
    });
    return out;
  }

  // -- rendering ------------------------------------------------------------------------
  const held = new Map(); // channel -> snapshot
  let visOf = cfg.program_visibility || {}; // program id -> visibility, from the overview
  let stageOf = {}; // program id -> lifecycle stage, from the overview

  function flash(el) {
    if (!motion) return;
    el.classList.remove('is-flash');
    void el.offsetWidth; // restart the CSS animation
    el.classList.add('is-flash');
  }

  function update(el, item, quiet) {
    const sig = JSON.stringify(item);
    if (el._sig === sig) return;
    const changed = el._sig !== undefined;
    el._sig = sig;
    fill(el, item);
    if (changed && !quiet) flash(el);
  }

  function itemsFor(container, snap) {
    const ds = container.dataset;
    let items = (ds.source === 'medals' ? medalView(snap).rows : snap.rows) || [];
    if ('visibleOnly' in ds) items = items.filter((r) => visOf[r.program] !== 'hidden');
    if (ds.channel === 'ticker') items = items.map(staged);
    if (ds.program) items = items.filter((r) => r.program === ds.program);
    if ('latest' in ds) {
      const seen = new Set(); // newest first: keep each competitor's latest result
      items = items.filter((r) => {
        const k = `${r.program} ${r.competitor.id}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      });
    }
    if (ds.limit) items = items.slice(0, Number(ds.limit));
    const per = Number(ds.perPage || 0);
    if (per) {
      const pages = Math.max(1, Math.ceil(items.length / per));
      let page = Number(ds.page || 0);
      if (page >= pages) page = 0;
      ds.page = page;
      ds.pages = pages;
      items = items.slice(page * per, page * per + per);
      const frame = container.closest('.frame') || document;
      const pager = frame.querySelector('[data-pager]');
      if (pager) pager.textContent = pages > 1 ? `${page + 1} / ${pages}` : '';
    }
    return items;
  }

  // a ticker item as display/data.py Site.ticker shows it: its program's stage, and no
  // 暂定 once the program is under review, in 公示 or final
  function staged(item) {
    const stage = stageOf[item.program];
    if (!stage) return item;
    return { ...item, stage, provisional: stage === 'marking' && Boolean(item.provisional) };
  }

  function renderList(container, snap, animate) {
    const items = itemsFor(container, snap);
    const first = !container._primed;
    container._primed = true;
    const existing = new Map();
    for (const el of container.querySelectorAll(':scope > [data-id]')) existing.set(el.dataset.id, el);
    if ('fixed' in container.dataset) {
      for (const item of items) {
        const el = existing.get(key(item));
        if (el) update(el, item, first);
      }
      return items;
    }
    const before = new Map();
    if (animate && motion) for (const [id, el] of existing) before.set(id, el.getBoundingClientRect().top);
    const tpl = container.querySelector(':scope > template');
    let prev = tpl;
    const keep = new Map();
    for (const item of items) {
      const id = key(item);
      let el = existing.get(id);
      const isNew = !el;
      if (isNew) {
        el = tpl.content.firstElementChild.cloneNode(true);
        el.dataset.id = id;
      }
      update(el, item, first || isNew);
      if (prev.nextElementSibling !== el) prev.after(el);
      prev = el;
      keep.set(id, el);
    }
    for (const [id, el] of existing) if (!keep.has(id)) el.remove();
    if (animate && motion && !first) {
      for (const [id, el] of keep) {
        const old = before.get(id);
        if (old === undefined) {
          el.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 500 });
          continue;
        }
        const dy = old - el.getBoundingClientRect().top;
        if (Math.abs(dy) > 1) {
          el.animate([{ transform: `translateY(${dy}px)` }, { transform: 'none' }],
            { duration: 800, easing: 'cubic-bezier(.2,.8,.2,1)' });
        }
      }
    }
    const channel = container.dataset.channel;
    for (const empty of document.querySelectorAll(`[data-empty-of="${channel}"]`)) empty.hidden = items.length > 0;
    for (const full of document.querySelectorAll(`[data-full-of="${channel}"]`)) full.hidden = items.length === 0;
    if (container.dataset.source === 'medals') {
      const view = medalView(snap);
      for (const el of document.querySelectorAll('[data-medal-state]')) el.hidden = el.dataset.medalState !== view.state;
      for (const el of document.querySelectorAll('[data-not-counted-of]')) {
        el.hidden = !view.not_counted;
        el.textContent = msg('Not counted yet: {n} program(s) in publication for objections').replace('{n}', String(view.not_counted));
      }
    }
    return items;
  }

  function renderChannel(channel, animate) {
    const base = held.get(channel);
    if (!base) return;
    const snap = channel.startsWith('program:') ? markRows(base) : base;
    for (const el of document.querySelectorAll('[data-life-of]')) {
      if (el.dataset.lifeOf !== channel || !snap.lifecycle) continue;
      const text = stageWords(snap);
      if (el.textContent !== text) el.textContent = text;
      el.dataset.stage = snap.lifecycle.stage;
    }
    for (const el of document.querySelectorAll('[data-badge-of]')) {
      if (el.dataset.badgeOf !== channel || !snap.visibility) continue;
      const publication = snap.lifecycle && snap.lifecycle.stage === 'publication';
      const cls = `badge vis-${publication ? 'publication' : slug(snap.visibility)}`;
      const text = msg(publication ? STAGE.publication : VIS[snap.visibility] || 'Live');
      if (el.className !== cls) el.className = cls;
      if (el.textContent !== text) el.textContent = text;
    }
    for (const el of document.querySelectorAll('[data-channel]')) {
      if (el.dataset.channel !== channel) continue;
      if (el.dataset.item !== undefined) {
        const row = (snap.rows || []).find((r) => key(r) === el.dataset.item);
        if (row) update(el, row, false);
        continue;
      }
      const items = renderList(el, snap, animate);
      if (el.dataset.lowerThird !== undefined) lowerThird(el, items);
    }
  }

  // the program's lifecycle as display/lifecycle.py key() writes it: the page re-renders
  // when the stage, the objection deadline, the corrections or the appeals change
  function lifeKey(snap) {
    const life = snap.lifecycle || {};
    const until = life.objections_until == null ? '' : life.objections_until;
    return [life.stage || '', until, (snap.corrections || []).length, (snap.appeals || []).length].join('|');
  }

  let reloading = false;
  function changed(channel, snap) {
    const expected = cfg.visibility && cfg.visibility[channel];
    const life = cfg.lifecycle && cfg.lifecycle[channel];
    const lifeMoved = life !== undefined && lifeKey(snap) !== life; // display/lifecycle.py key()
    if (((expected && snap.visibility !== expected) || lifeMoved) && !reloading) {
      // The page's shape depends on visibility (a hidden board has no rows at all): render it anew.
      reloading = true;
      setTimeout(() => location.reload(), 200 + Math.random() * 1500);
      return;
    }
    if (channel === 'overview') {
      visOf = {};
      stageOf = {};
      for (const r of snap.rows) {
        visOf[r.id] = r.visibility;
        if (r.lifecycle) stageOf[r.id] = r.lifecycle;
      }
      renderChannel('ticker', true);
    }
    renderChannel(channel, true);
    codedNote(snap);
  }

  // 解密: once the rows carry names, the note that the board shows workstation numbers goes
  function codedNote(snap) {
    const note = document.querySelector('[data-coded-note]');
    const rows = snap.rows || [];
    if (note && rows.length && !rows.some((r) => r.competitor && r.competitor.coded)) note.hidden = true;
  }

  // -- the connection -----------------------------------------------------------------
  const statusEl = document.getElementById('live-status');
  let ws = null;
  let attempt = 0;
  let syncId = null;
  let heartbeat = null;
  let lastSeen = 0;
  let pings = 0;
  let stale = false;

  function setStale(on) {
    stale = on;
    document.documentElement.classList.toggle('live-stale', on);
    if (statusEl) statusEl.hidden = !on;
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(frame));
  }

  function subscribe(channel) {
    const snap = held.get(channel);
    // features: this page applies a delta's ranks (docs/protocol.md); without it, whole rows
    const frame = { type: 'subscribe', channel, features: ['ranks'] };
    if (snap) frame.version = snap.version;
    send(frame);
  }

  function onFrame(frame) {
    lastSeen = Date.now();
    if (frame.type === 'snapshot') {
      held.set(frame.channel, frame.data);
      changed(frame.channel, frame.data);
    } else if (frame.type === 'delta') {
      const snap = held.get(frame.channel);
      if (!snap || frame.version <= snap.version) return; // no base yet, or already held
      if (frame.from !== snap.version) {
        // a gap: forget what we hold and ask for a snapshot
        held.delete(frame.channel);
        subscribe(frame.channel);
        return;
      }
      let next;
      try {
        next = applyDelta(snap, frame);
      } catch (e) { // a delta that does not fit what we hold: start again from a snapshot
        console.warn('scorecast live:', e.message);
        held.delete(frame.channel);
        subscribe(frame.channel);
        return;
      }
      held.set(frame.channel, next);
      changed(frame.channel, next);
    } else if (frame.type === 'pong') {
      if (frame.id === syncId) {
        // The hub answers in order: everything missed arrived before this pong.
        syncId = null;
        attempt = 0;
        setStale(false);
      }
    } else if (frame.type === 'error') {
      console.warn('scorecast live:', frame.code, frame.message);
    }
  }

  function lost() {
    if (ws) {
      ws.onclose = ws.onmessage = ws.onerror = null;
      try { ws.close(); } catch (e) { /* already gone */ }
      ws = null;
    }
    clearInterval(heartbeat);
    setStale(true);
    const delay = Math.min(8000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
    attempt += 1;
    setTimeout(connect, delay);
  }

  function connect() {
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    let sock;
    try {
      sock = new WebSocket(cfg.ws || `${scheme}${location.host}/ws/live`, ['scorecast.json']);
    } catch (e) {
      lost();
      return;
    }
    ws = sock;
    sock.onopen = () => {
      lastSeen = Date.now();
      for (const channel of cfg.channels) subscribe(channel);
      syncId = `sync-${++pings}`;
      send({ type: 'ping', id: syncId });
      heartbeat = setInterval(() => {
        if (Date.now() - lastSeen > 25000) { lost(); return; } // a silent link is a dead link
        send({ type: 'ping', id: `hb-${++pings}` });
      }, 10000);
    };
    sock.onmessage = (ev) => {
      if (typeof ev.data !== 'string') return;
      let frame;
      try { frame = JSON.parse(ev.data); } catch (e) { return; }
      onFrame(frame);
    };
    sock.onclose = (ev) => {
      // 1012 "service restart": the hub rebuilt its boards from the ledger (or is restarting), so
      // the versions held may not be its versions any more: resubscribe for fresh snapshots.
      if (ev.code === 1012) held.clear();
      lost();
    };
  }

  // -- page behaviours: paging, carousel, ceremony, lower third -----------------------
  function startPaging(seconds) {
    if (!seconds) return;
    setInterval(() => {
      for (const el of document.querySelectorAll('[data-per-page]')) {
        if (Number(el.dataset.pages || 1) < 2) continue;
        const snap = held.get(el.dataset.channel);
        if (!snap) continue;
        el.dataset.page = (Number(el.dataset.page || 0) + 1) % Number(el.dataset.pages);
        renderList(el, snap, false);
        if (motion) el.animate([{ opacity: 0 }, { opacity: 1 }], { duration: 600 });
      }
    }, seconds * 1000);
  }

  function startCarousel(root) {
    const seconds = Number(root.dataset.carousel);
    const slides = [...root.querySelectorAll('.slide')];
    if (slides.length < 2 || !seconds) return;
    let i = 0;
    setInterval(() => {
      slides[i].classList.remove('is-active');
      i = (i + 1) % slides.length;
      slides[i].classList.add('is-active');
    }, seconds * 1000);
  }

  function startCeremony(root) {
    const slots = [...root.querySelectorAll('.slot')].sort((a, b) => a.dataset.step - b.dataset.step);
    if (!slots.length) return;
    const counter = root.querySelector('[data-ceremony-count]');
    let shown = 0;
    const show = () => {
      slots.forEach((s, i) => { s.toggleAttribute('data-shown', i < shown); });
      if (counter) counter.textContent = `${shown} / ${slots.length}`;
    };
    const next = () => { if (shown < slots.length) { shown += 1; show(); } };
    const back = () => { if (shown > 0) { shown -= 1; show(); } };
    document.addEventListener('keydown', (e) => {
      if ([' ', 'ArrowRight', 'ArrowDown', 'PageDown', 'Enter'].includes(e.key)) { e.preventDefault(); next(); }
      if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(e.key)) { e.preventDefault(); back(); }
    });
    document.addEventListener('click', next);
    const step = Number(root.dataset.ceremony);
    if (step > 0) {
      const timer = setInterval(() => { next(); if (shown >= slots.length) clearInterval(timer); }, step * 1000);
    }
    show();
  }

  let lastThird = null;
  let thirdTimer = null;
  function lowerThird(container, items) {
    const top = items[0];
    if (!top || top.id === lastThird) return;
    lastThird = top.id;
    const hold = Number(container.dataset.lowerThird);
    container.classList.remove('is-out', 'is-in');
    void container.offsetWidth;
    container.classList.add('is-in');
    clearTimeout(thirdTimer);
    if (hold > 0) thirdTimer = setTimeout(() => container.classList.add('is-out'), hold * 1000);
  }

  // -- printing: the sheet says when it was printed (display/render.py print_stamp) -----------
  function stamp(d) {
    const off = -d.getTimezoneOffset();
    const sign = off < 0 ? '-' : '+';
    const a = Math.abs(off);
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`
      + ` UTC${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
  }
  window.addEventListener('beforeprint', () => {
    for (const el of document.querySelectorAll('[data-printed]')) el.textContent = stamp(new Date());
  });

  // -- start ----------------------------------------------------------------------------
  for (const el of document.querySelectorAll('[data-lower-third]')) {
    const first = el.querySelector(':scope > [data-id]');
    if (first) lowerThird(el, [{ id: first.dataset.id }]);
  }
  startPaging(cfg.page_seconds);
  for (const el of document.querySelectorAll('[data-carousel]')) startCarousel(el);
  for (const el of document.querySelectorAll('[data-ceremony]')) startCeremony(el);
  if (cfg.channels && cfg.channels.length) connect();

  // for operators' consoles and the browser tests
  window.scorecast = {
    version: (channel) => (held.has(channel) ? held.get(channel).version : null),
    snapshot: (channel) => held.get(channel) || null,
    stale: () => stale,
    applyDelta,
    medalView,
    stamp,
    stageWords,
    markRows,
    field,
    classes,
  };
})();
