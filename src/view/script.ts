/**
 * The page's script, inlined (plain ES2017, no modules, nothing fetched).
 * A click on a step row (or Enter/Space on a focused one) shows or hides
 * the state after that step (built from its <template> the first time)
 * and highlights the step's line in the source
 * panel, scrolled into view; ↑/↓ move between step rows; a link to a line
 * (`#L42`) highlights it without leaving the trace; a link to a step
 * (`▶ decided by the order of #6 and #11`, a lasso's `back to #3`) selects that step; a link to a
 * trace opens its <details>. Without the script the page still reads: every line link
 * is an anchor and `:target` highlights it.
 */
export const PAGE_SCRIPT = String.raw`
(function () {
  'use strict';
  var panel = document.querySelector('[data-testid="source"]');
  var lit = null;

  function showLine(n) {
    var line = document.getElementById('L' + n);
    if (!line) return;
    if (lit) lit.classList.remove('hl');
    line.classList.add('hl');
    lit = line;
    if (panel && panel.scrollHeight > panel.clientHeight + 1 && getComputedStyle(panel).position === 'sticky') {
      panel.scrollTop = line.offsetTop - panel.clientHeight / 3;
    }
  }

  function stateRow(row) {
    var next = row.nextElementSibling;
    return next && next.classList.contains('state-row') ? next : null;
  }

  function select(row, toggle) {
    var old = document.querySelectorAll('tr.step.sel');
    for (var i = 0; i < old.length; i++) if (old[i] !== row) old[i].classList.remove('sel');
    row.classList.add('sel');
    var state = stateRow(row);
    if (state && toggle) {
      // The panel is built from its <template> the first time it is shown (view/trace.ts stateRow).
      var t = state.querySelector('template');
      if (t) t.parentNode.replaceChild(document.importNode(t.content, true), t);
      state.hidden = !state.hidden;
      row.setAttribute('aria-expanded', String(!state.hidden));
    }
    if (row.dataset.line) showLine(row.dataset.line);
  }

  function openTrace(id) {
    var el = document.getElementById(id);
    if (el && el.tagName === 'DETAILS') el.open = true;
    return el;
  }

  document.addEventListener('click', function (e) {
    var a = e.target.closest('a[href^="#"]');
    if (a) {
      var target = a.getAttribute('href').slice(1);
      if (/^L\d+$/.test(target)) {
        e.preventDefault();
        showLine(target.slice(1));
        var row = a.closest('tr.step');
        if (row) select(row, false);
        return;
      }
      var el = document.getElementById(target);
      if (el && el.matches('tr.step')) {
        e.preventDefault();
        el.scrollIntoView({ block: 'center' });
        el.focus({ preventScroll: true });
        select(el, false);
        return;
      }
      openTrace(target);
      return;
    }
    var step = e.target.closest('tr.step');
    if (step) { select(step, true); return; }
    var verdict = e.target.closest('tr.verdict[data-line]');
    if (verdict) showLine(verdict.dataset.line);
  });

  document.addEventListener('keydown', function (e) {
    var row = e.target.closest && e.target.closest('tr.step');
    if (!row) return;
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(row, true);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      var rows = Array.prototype.slice.call(row.closest('tbody').querySelectorAll('tr.step'));
      var to = rows[rows.indexOf(row) + (e.key === 'ArrowDown' ? 1 : -1)];
      if (to) { to.focus(); select(to, false); }
    }
  });

  var hash = location.hash.slice(1);
  if (/^L\d+$/.test(hash)) showLine(hash.slice(1));
  else if (hash) { var el = openTrace(hash); if (el) el.scrollIntoView(); }
})();
`;
