// The judge's own marks on this device: one record per cell (program, competitor, aspect)
// and one per competitor's sign-off, kept in localStorage next to the outbox. It follows
// every answer from the hub, whichever screen is open, and tells the screens what changed.
//
// cell: {value, id, state: pending|acked|refused, seq, accepted, code, message, withdraw}

export class MarkBook extends EventTarget {
  constructor(store, link) {
    super();
    this.store = store;
    this.link = link;
    this.cells = store.get("cells", {}); // "pid|cid|aid" → cell
    this.rows = store.get("rows", {}); // "pid|cid" → {signoff: {id, state, seq, code, message}}
    link.addEventListener("answer", (ev) => this.answered(ev.detail));
  }

  save() {
    this.store.set("cells", this.cells);
    this.store.set("rows", this.rows);
  }

  changed(pid, cid, aid = null) {
    this.dispatchEvent(new CustomEvent("change", { detail: { pid, cid, aid } }));
  }

  cell(pid, cid, aid) {
    return this.cells[`${pid}|${cid}|${aid}`];
  }

  signoff(pid, cid) {
    return this.rows[`${pid}|${cid}`]?.signoff || null;
  }

  mark(pid, cid, aid, value) {
    const key = `${pid}|${cid}|${aid}`;
    const cell = this.cells[key];
    const frame = { type: "mark", program: pid, competitor: cid, aspect: aid, value: String(value) };
    // a correction of a mark that never left this device replaces it; otherwise it is a new event
    const unsent = cell?.id && this.link.outbox.find(cell.id);
    if (unsent && !unsent.sent && unsent.frame.type === "mark") {
      unsent.frame.value = frame.value;
      this.link.outbox.save();
      this.cells[key] = { ...cell, value: frame.value, state: "pending", withdraw: false };
    } else {
      this.cells[key] = { ...(cell || {}), value: frame.value, state: "pending", withdraw: false, code: null, message: null };
      this.cells[key].id = this.link.send(frame).id;
    }
    this.save();
    this.changed(pid, cid, aid);
  }

  withdraw(pid, cid, aid) {
    const key = `${pid}|${cid}|${aid}`;
    const cell = this.cells[key];
    const unsent = cell?.id && this.link.outbox.find(cell.id);
    if (unsent && !unsent.sent) {
      this.link.outbox.remove(unsent.id); // never left the device: nothing to take back
      if (cell.accepted != null) this.cells[key] = { ...cell, value: cell.accepted, state: "acked", id: null };
      else delete this.cells[key];
    } else if (cell?.accepted != null) {
      const entry = this.link.send({ type: "withdraw", program: pid, competitor: cid, aspect: aid });
      this.cells[key] = { ...cell, id: entry.id, state: "pending", withdraw: true };
    } else {
      delete this.cells[key];
    }
    this.save();
    this.changed(pid, cid, aid);
  }

  signOff(pid, cid) {
    const entry = this.link.send({ type: "signoff", program: pid, competitor: cid });
    this.rows[`${pid}|${cid}`] = { signoff: { id: entry.id, state: "pending" } };
    this.save();
    this.changed(pid, cid);
  }

  answered({ entry, ok, seq, code, message }) {
    const f = entry.frame;
    if (f.type === "signoff") {
      const rk = `${f.program}|${f.competitor}`;
      if (this.rows[rk]?.signoff?.id === f.id) {
        this.rows[rk] = { signoff: ok ? { id: f.id, state: "acked", seq } : { id: f.id, state: "refused", code, message } };
      }
    } else if (f.type === "mark" || f.type === "withdraw") {
      const key = `${f.program}|${f.competitor}|${f.aspect}`;
      const cell = this.cells[key] || {};
      const latest = cell.id === f.id;
      if (ok) {
        const accepted = f.type === "withdraw" ? null : f.value;
        if (!latest) this.cells[key] = { ...cell, accepted };
        else if (f.type === "withdraw") delete this.cells[key];
        else this.cells[key] = { ...cell, state: "acked", seq, accepted, code: null, message: null };
      } else if (latest) {
        this.cells[key] = { ...cell, state: "refused", code, message, withdraw: false };
      }
    } else {
      return;
    }
    this.save();
    this.changed(f.program, f.competitor, f.aspect || null);
  }

  // What the ledger holds of this judge's (GET /judge/api/me), merged under what is still on
  // its way: a cell waiting for an answer, or acked after the hub's answer was computed, wins.
  merge(me, competitors) {
    const seen = me.seq ?? Infinity;
    for (const [pid, mine] of Object.entries(me.programs || {})) {
      for (const cid of competitors(pid)) {
        for (const aid of mine.aspects) {
          const key = `${pid}|${cid}|${aid}`;
          const cell = this.cells[key];
          const hub = mine.marks[cid]?.[aid];
          if (cell && (cell.state === "pending" || (cell.seq != null && cell.seq > seen))) continue;
          if (hub != null && cell?.state === "refused") this.cells[key] = { ...cell, accepted: hub };
          else if (hub != null) this.cells[key] = { ...(cell || {}), value: hub, accepted: hub, state: "acked" };
          else if (cell && cell.state === "acked") delete this.cells[key];
          else if (cell) this.cells[key] = { ...cell, accepted: null };
        }
        const rk = `${pid}|${cid}`;
        const so = this.rows[rk]?.signoff;
        if (so?.state === "pending" || (so?.seq != null && so.seq > seen)) continue;
        if (mine.signed_off.includes(cid)) this.rows[rk] = { signoff: { state: "acked" } };
        else if (so?.state === "acked") delete this.rows[rk]; // the chief unlocked it
      }
    }
    this.save();
    this.dispatchEvent(new CustomEvent("change", { detail: {} }));
  }
}
