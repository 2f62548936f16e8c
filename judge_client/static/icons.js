// Icons drawn as inline SVG: emoji fonts are missing on many venue tablets and kiosk browsers.

const PATHS = {
  clock: '<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2.5"/><path d="M12 7v5l3 2" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round"/>',
  lock: '<rect x="5" y="11" width="14" height="10" rx="2" fill="currentColor"/><path d="M8 11V8a4 4 0 0 1 8 0v3" fill="none" stroke="currentColor" stroke-width="2.5"/>',
  ban: '<circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2.5"/><path d="M6 18L18 6" stroke="currentColor" stroke-width="2.5"/>',
};

export function icon(name) {
  const span = document.createElement("span");
  span.className = `svg-icon icon-${name}`;
  span.innerHTML = `<svg viewBox="0 0 24 24" width="1em" height="1em" aria-hidden="true">${PATHS[name]}</svg>`;
  return span;
}
