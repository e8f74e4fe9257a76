// juesuan search page: the Pagefind index built with the site, read through its
// own API (everything is loaded from this site). ?q= runs a search, which the
// search box in every page's header sends.
(function () {
  var PAGE = 10;
  var SUBRESULTS = 3;
  var FIRST_WITH_YEAR = 50;
  var YEAR = /(?:^|\s)((?:19|20)\d\d)(?:年度?)?(?=\s|$)/;

  // The index holds 282.91 as the words 282 and 91; the browser would look for 28291.
  function processTerm(term) {
    return term.replace(/(\d)[.．](\d)/g, "$1 $2").trim();
  }

  // Pagefind matches words by their beginning and leaves out a word it does not
  // know; a result here holds every part of the query as typed.
  function holdsAll(text, query) {
    var haystack = text.toLowerCase();
    return query.toLowerCase().split(/\s+/).filter(Boolean).every(function (part) {
      return haystack.indexOf(part) >= 0;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // Pagefind's excerpts are the page's text, escaped, with <mark> around the hits.
  function excerpt(html) {
    var p = el("p", "js-result-excerpt");
    p.innerHTML = html;
    return p;
  }

  function facts(meta) {
    var line = el("p", "js-result-meta");
    ["类型", "单位", "年度", "地区", "金额单位"].forEach(function (key) {
      if (meta[key]) line.appendChild(el("span", "", key + "：" + meta[key]));
    });
    return line;
  }

  function render(data) {
    var item = el("li", "js-result");
    var link = el("a", "js-result-link", data.meta.title || data.url);
    link.href = data.url;
    var title = el("p", "js-result-title");
    title.appendChild(link);
    item.appendChild(title);
    item.appendChild(facts(data.meta));
    var subs = (data.sub_results || []).filter(function (s) { return s.title !== data.meta.title; });
    if (!subs.length) item.appendChild(excerpt(data.excerpt));
    var list = el("ul", "js-subresults");
    subs.slice(0, SUBRESULTS).forEach(function (sub) {
      var li = el("li", "js-subresult");
      var a = el("a", "js-subresult-link", sub.title);
      a.href = sub.url;
      li.appendChild(a);
      li.appendChild(excerpt(sub.excerpt));
      list.appendChild(li);
    });
    if (subs.length) item.appendChild(list);
    return item;
  }

  var latest = 0;

  async function search(pagefind, query, status, list, more) {
    var mine = ++latest;  // a newer search replaces this one's results
    list.replaceChildren();
    more.hidden = true;
    var term = processTerm(query);
    if (!term) { status.textContent = ""; return; }
    status.textContent = "正在搜索……";
    var found = (await pagefind.search(term)).results;
    if (mine !== latest) return;
    // A year in the query puts that year's disclosures first, among the first candidates.
    var year = (term.match(YEAR) || [])[1];
    var checked = 0;
    var shown = 0;
    var waiting = [];
    async function read() {
      var size = year && !checked ? FIRST_WITH_YEAR : PAGE;
      var batch = await Promise.all(found.slice(checked, checked + size).map(function (r) {
        return r.data();
      }));
      checked += batch.length;
      var held = batch.filter(function (data) { return holdsAll(data.content, query); });
      if (year && checked === batch.length) {
        held.sort(function (a, b) { return (b.meta["年度"] === year) - (a.meta["年度"] === year); });
      }
      waiting = waiting.concat(held);
    }
    // Candidates are read a batch at a time, until a page of results is shown.
    async function next() {
      while (waiting.length < PAGE && checked < found.length) await read();
      if (mine !== latest) return;
      var page = waiting.splice(0, PAGE);
      page.forEach(function (data) { list.appendChild(render(data)); });
      shown += page.length;
      var done = !waiting.length && checked >= found.length;
      more.hidden = done;
      status.textContent = shown
        ? (done ? "找到 " + shown + " 个页面：" : "找到的页面：")
        : "没有找到“" + query + "”。可以换一个词，或按单位、名词解释、科目浏览。";
    }
    more.onclick = next;
    await next();
  }

  window.addEventListener("DOMContentLoaded", async function () {
    var root = document.getElementById("search");
    if (!root) return;
    var form = el("form", "js-search-form");
    form.setAttribute("role", "search");
    var input = el("input");
    input.type = "search";
    input.name = "q";
    input.setAttribute("aria-label", "搜索");
    input.placeholder = "单位、年度、金额、科目或名词，如 黄陂区 2024";
    var button = el("button", "", "搜索");
    button.type = "submit";
    form.append(input, " ", button);
    var status = el("p", "js-search-status");
    status.setAttribute("role", "status");
    var list = el("ol", "js-results");
    var more = el("button", "js-more-results", "显示更多");
    more.type = "button";
    more.hidden = true;
    root.append(form, status, list, more);
    var bundle = new URL(root.getAttribute("data-bundle"), document.baseURI);
    var pagefind = await import(new URL("pagefind.js", bundle).href);
    // Long pages (a disclosure prints every amount) lose less to short ones than by default.
    var settings = { excerptLength: 24, ranking: { pageLength: 0.3 } };
    // In this page's own thread: the worker script would add 41 KB to a cold search.
    await pagefind.options({ noWorker: true });
    await pagefind.init();
    await pagefind.options(settings);
    // The index is in shards (shards.json lists them beside the first): searched as one.
    var listed = await fetch(new URL("shards.json", bundle)).catch(function () { return null; });
    var shards = listed && listed.ok ? await listed.json() : [];
    await Promise.all(shards.map(function (folder) {
      return pagefind.mergeIndex(new URL(folder, bundle).href, settings);
    }));
    function run(query) {
      input.value = query;
      return search(pagefind, query, status, list, more);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url);
      run(input.value);
    });
    var query = new URLSearchParams(window.location.search).get("q");
    if (query) run(query);
  });
})();
