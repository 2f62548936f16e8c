/* The index's search box: filters the program list as one types (the form does the same on
 * the server without JavaScript). Matches every word against data-search (names in both
 * languages, id, category, venue); hides the categories left empty. No dependencies. */
(() => {
  'use strict';
  const box = document.querySelector('[data-find]');
  if (!box) return;
  const found = document.querySelector('[data-found]');
  const none = document.querySelector('[data-none]');
  const total = document.querySelectorAll('.cat [data-search]').length;
  const template = found ? found.textContent : '';
  function filter() {
    const words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const section of document.querySelectorAll('.cat')) {
      let left = 0;
      for (const li of section.querySelectorAll('[data-search]')) {
        const hit = words.every((w) => li.dataset.search.includes(w));
        li.hidden = !hit;
        if (hit) left += 1;
      }
      section.hidden = left === 0;
      const count = section.querySelector('.count');
      if (count) count.textContent = String(left);
      shown += left;
    }
    if (found) found.textContent = template.replace(/\d+/, String(shown)).replace(/\d+(?!.*\d)/, String(total));
    if (none) none.hidden = shown > 0;
  }
  box.addEventListener('input', filter);
})();
