// csrscan compare page: sort, filter, export and drill-down, offline.
// Every value is read from the server-rendered table (data-v attributes), so
// a column added in Python is sorted, filtered and exported with no change here.
(function () {
  'use strict';
  var table = document.getElementById('heat');
  var body = table.tBodies[0];
  var heads = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var rows = function () { return Array.prototype.slice.call(body.rows); };
  var cellValue = function (tr, i) { return tr.cells[i].getAttribute('data-v') || ''; };

  function sortBy(i, th) {
    var numeric = th.getAttribute('data-type') === 'num';
    var current = th.getAttribute('aria-sort');
    // numbers start highest first, text A to Z; a second click reverses
    var desc = current ? current === 'ascending' : numeric;
    heads.forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
    var sorted = rows().map(function (tr, n) { return [tr, n]; });
    sorted.sort(function (a, b) {
      var x = cellValue(a[0], i), y = cellValue(b[0], i), c;
      if (numeric) {
        c = (x === '' ? -Infinity : Number(x)) - (y === '' ? -Infinity : Number(y));
      } else {
        c = x.localeCompare(y, 'zh-CN');
      }
      return (desc ? -c : c) || a[1] - b[1];
    });
    sorted.forEach(function (p) { body.appendChild(p[0]); });
  }
  heads.forEach(function (th, i) {
    var button = th.querySelector('button');
    if (button) { button.addEventListener('click', function () { sortBy(i, th); }); }
  });

  var company = document.getElementById('f-company');
  var industry = document.getElementById('f-industry');
  var year = document.getElementById('f-year');
  var shown = document.getElementById('shown');
  function applyFilters() {
    var q = company.value.trim().toLowerCase(), ind = industry.value, yr = year.value, n = 0;
    rows().forEach(function (tr) {
      var keep = tr.getAttribute('data-company').toLowerCase().indexOf(q) >= 0 &&
        (!ind || tr.getAttribute('data-industry') === ind) &&
        (!yr || tr.getAttribute('data-year') === yr);
      tr.hidden = !keep;
      if (keep) { n += 1; }
    });
    shown.textContent = String(n);
  }
  [company, industry, year].forEach(function (e) {
    e.addEventListener('input', applyFilters);
    e.addEventListener('change', applyFilters);
  });

  function csvField(v) {
    // text a spreadsheet would run as a formula gets a leading ' (as compare -f csv:
    // compare/formats/cells.py); a number, even negative, stays a number
    if (/^[=+\-@\t\r]/.test(v) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$/.test(v)) {
      v = "'" + v;
    }
    return /[",\r\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v;
  }
  function visibleCsv() {
    var lines = [heads.map(function (th) { return csvField(th.getAttribute('data-key')); })];
    rows().forEach(function (tr) {
      if (tr.hidden) { return; }
      lines.push(heads.map(function (th, i) { return csvField(cellValue(tr, i)); }));
    });
    return lines.map(function (l) { return l.join(','); }).join('\n') + '\n';
  }
  document.getElementById('export').addEventListener('click', function () {
    var text = visibleCsv();
    window.csrscanLastExport = text;  // what the file holds, for a reader or a test
    var url = URL.createObjectURL(new Blob(['\ufeff' + text], {type: 'text/csv;charset=utf-8'}));
    var a = document.createElement('a');
    a.href = url; a.download = 'csrscan-compare.csv';
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  });

  function openHash() {
    var target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    for (var e = target; e; e = e.parentElement) {
      if (e.tagName === 'DETAILS') { e.open = true; }
    }
    if (target) { target.scrollIntoView(); }
  }
  window.addEventListener('hashchange', openHash);
  openHash();
  applyFilters();
  document.body.setAttribute('data-ready', '1');
})();
