// juesuan tables: sort by a column and filter rows, in the page, from this site only.
// Without this script every table stays as printed; with it each table gets a
// filter box, and a table with one row per line (not two sides or panels side
// by side) gets a sort button in each column header and an "as printed" reset.
(function () {
  "use strict";

  var NUMBER = /^[+-]?\d+(\.\d+)?%?$/;

  function text(cell) {
    if (!cell) return "";
    var value = cell.querySelector(".js-v") || cell;
    return value.textContent.replace(/\s+/g, " ").trim();
  }

  function number(cell) {
    var raw = text(cell).replace(/[,，]/g, "");
    return NUMBER.test(raw) ? parseFloat(raw) : null;
  }

  // The header as a grid: grid[row][column] = the cell covering it.
  function headerGrid(thead) {
    var grid = [];
    Array.prototype.forEach.call(thead.rows, function (tr, r) {
      grid[r] = grid[r] || [];
      var c = 0;
      Array.prototype.forEach.call(tr.cells, function (cell) {
        while (grid[r][c]) c++;
        for (var dy = 0; dy < cell.rowSpan; dy++) {
          for (var dx = 0; dx < cell.colSpan; dx++) {
            grid[r + dy] = grid[r + dy] || [];
            grid[r + dy][c + dx] = cell;
          }
        }
        c += cell.colSpan;
      });
    });
    return grid;
  }

  // [start, end) columns of each cell of a body row.
  function spans(tr) {
    var out = [];
    var c = 0;
    Array.prototype.forEach.call(tr.cells, function (cell) {
      out.push({ cell: cell, start: c, end: c + cell.colSpan });
      c += cell.colSpan;
    });
    return out;
  }

  function cellAt(tr, column) {
    var found = null;
    spans(tr).forEach(function (s) {
      if (s.start <= column && column < s.end) found = s.cell;
    });
    return found;
  }

  // One row per line: no body row holds two row headers (two sides, two panels).
  function oneRowPerLine(rows) {
    return rows.every(function (tr) {
      return tr.querySelectorAll('th[scope="row"]').length <= 1;
    });
  }

  // The lowest header cell spanning exactly the columns of each cell of the
  // most detailed body row: the column (or the 类 款 项 group) it heads.
  function sortHeads(table, rows) {
    var grid = headerGrid(table.tHead);
    var reference = rows.reduce(function (best, tr) {
      return tr.cells.length > best.cells.length ? tr : best;
    }, rows[0]);
    var heads = [];
    spans(reference).forEach(function (s) {
      for (var r = grid.length - 1; r >= 0; r--) {
        var cell = grid[r][s.start];
        if (!cell || cell.tagName !== "TH") continue;
        var first = grid[r].indexOf(cell);
        var last = grid[r].lastIndexOf(cell);
        if (first === s.start && last === s.end - 1) {
          heads.push({ th: cell, column: s.start });
          return;
        }
      }
    });
    return heads;
  }

  function code(tr) {
    var cell = tr.querySelector(".js-code");
    return cell ? text(cell) : tr.getAttribute("data-code") || "";
  }

  function labelText(tr) {
    var parts = tr.querySelectorAll('th[scope="row"], .js-code');
    if (!parts.length) return text(tr);
    return Array.prototype.map.call(parts, text).join(" ");
  }

  function enhance(table, index) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var rows = Array.prototype.slice.call(body.rows);
    if (rows.length < 2) return;
    var wrapper = table.closest(".js-scroll") || table;
    var id = table.id || "js-t" + index;
    table.id = id;

    var bar = document.createElement("div");
    bar.className = "js-tablebar";
    var filter = document.createElement("input");
    filter.type = "search";
    filter.className = "js-filter";
    filter.placeholder = "筛选：名称或编码";
    filter.setAttribute("aria-label", "筛选本表的行（名称或编码包含的文字）");
    filter.setAttribute("aria-controls", id);
    var status = document.createElement("span");
    status.className = "js-count";
    status.setAttribute("aria-live", "polite");
    bar.appendChild(filter);
    bar.appendChild(status);

    var heads = oneRowPerLine(rows) ? sortHeads(table, rows) : [];
    var reset = null;
    var current = null;

    function applyFilter() {
      var needle = filter.value.trim().toLowerCase();
      var shown = 0;
      var context = {};
      var matched = rows.map(function (tr) {
        var hit = !needle || labelText(tr).toLowerCase().indexOf(needle) >= 0;
        if (hit && needle && !current) {
          // In printed order a match keeps its 类 and 款 above it, dimmed.
          var c = code(tr);
          for (var n = 3; n < c.length; n += 2) context[c.slice(0, n)] = true;
        }
        return hit;
      });
      rows.forEach(function (tr, i) {
        var above = !matched[i] && !!context[code(tr)];
        tr.hidden = !(matched[i] || above);
        tr.classList.toggle("js-context", above);
        if (matched[i]) shown++;
      });
      status.textContent = needle ? "显示 " + shown + " / " + rows.length + " 行" : "";
    }

    function order(column, direction) {
      var sorted = rows.slice();
      if (column !== null) {
        var keyed = sorted.map(function (tr, i) {
          var cell = cellAt(tr, column);
          var isCode = !!cell && cell.classList.contains("js-code");
          return {
            tr: tr,
            i: i,
            n: isCode ? null : number(cell),
            t: text(cell),
            code: isCode,
            pinned: tr.classList.contains("js-total")
          };
        });
        // Codes sort as text (201 before 20101 before 202); amounts as numbers.
        var numeric = keyed.some(function (k) { return k.n !== null; });
        var codes = keyed.some(function (k) { return k.code; });
        keyed.sort(function (a, b) {
          if (a.pinned !== b.pinned) return a.pinned ? -1 : 1;
          var x = numeric ? a.n : a.t || null;
          var y = numeric ? b.n : b.t || null;
          if (x === null || y === null) {
            // Blank cells go last whichever way.
            return x === y ? a.i - b.i : x === null ? 1 : -1;
          }
          var d = numeric ? x - y : codes ? (x < y ? -1 : x > y ? 1 : 0) : x.localeCompare(y, "zh-Hans-CN");
          return (d || 0) * direction || a.i - b.i;
        });
        sorted = keyed.map(function (k) { return k.tr; });
      }
      sorted.forEach(function (tr) { body.appendChild(tr); });
      table.classList.toggle("js-sorted", column !== null);
      heads.forEach(function (h) {
        if (column === h.column) {
          h.th.setAttribute("aria-sort", direction > 0 ? "ascending" : "descending");
        } else {
          h.th.removeAttribute("aria-sort");
        }
      });
      current = column === null ? null : { column: column, direction: direction };
      if (reset) reset.hidden = column === null;
      applyFilter();
    }

    heads.forEach(function (h) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "js-sort";
      var label = text(h.th);
      if (h.th.querySelector("a, button, input")) {
        // A heading that links somewhere keeps its link; the button sits beside it.
        button.setAttribute("aria-label", "按“" + label + "”排序");
        h.th.appendChild(button);
      } else {
        while (h.th.firstChild) button.appendChild(h.th.firstChild);
        button.setAttribute("aria-label", "按“" + label + "”排序");
        h.th.appendChild(button);
      }
      button.addEventListener("click", function () {
        var direction = current && current.column === h.column ? -current.direction : 1;
        order(h.column, direction);
      });
    });
    if (heads.length) {
      reset = document.createElement("button");
      reset.type = "button";
      reset.className = "js-reset";
      reset.textContent = "按原表顺序";
      reset.hidden = true;
      reset.addEventListener("click", function () { order(null, 1); });
      bar.appendChild(reset);
    }
    filter.addEventListener("input", applyFilter);
    wrapper.parentNode.insertBefore(bar, wrapper);
  }

  function start() {
    var tables = document.querySelectorAll(".md-content table.js-table, .md-content table.js-list");
    Array.prototype.forEach.call(tables, enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
