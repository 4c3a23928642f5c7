// SPDX-FileCopyrightText: 2026 The ospo-scan authors
// SPDX-License-Identifier: Apache-2.0
//
// The HTML report's script (inlined into the page; its CSP names this text's hash). It reads
// the report's data from the inline JSON block and renders the big tables a page at a time.
// Every value from the scanned tree goes into the page as text (textContent, createTextNode),
// never as markup: a file name that looks like markup stays a name.
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("report-data").textContent);
  var licenses = data.licenses;
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function badge(word) {
    return el("span", "badge " + word, word);
  }

  // --- license texts, one click away ---
  var dialog = document.getElementById("license-dialog");
  document.getElementById("license-close").addEventListener("click", function () {
    dialog.close();
  });

  function showLicense(id) {
    var entry = licenses[id] || { name: id, category: null, text: "", urls: [] };
    document.getElementById("license-title").textContent = id + " \u2014 " + entry.name;
    document.getElementById("license-category").textContent =
      entry.category ? "ScanCode category: " + entry.category : "";
    document.getElementById("license-urls").textContent = (entry.urls || []).join("  ");
    document.getElementById("license-text").textContent =
      entry.text || "(ScanCode's license data has no text for this license.)";
    dialog.showModal();
  }

  // An SPDX expression with each license id as a button that opens its text.
  function expression(text) {
    var frag = document.createDocumentFragment();
    if (!text) {
      frag.appendChild(el("span", "op", "\u2014"));
      return frag;
    }
    String(text).split(/(\s+|\(|\))/).forEach(function (token) {
      if (!token) return;
      if (Object.prototype.hasOwnProperty.call(licenses, token)) {
        var button = el("button", "lic", token);
        button.type = "button";
        button.title = "Show the text of " + token;
        button.addEventListener("click", function () {
          showLicense(token);
        });
        frag.appendChild(button);
      } else if (/^(AND|OR|WITH)$/.test(token)) {
        frag.appendChild(el("span", "op", token));
      } else {
        frag.appendChild(document.createTextNode(token));
      }
    });
    return frag;
  }

  function location(path, start, end) {
    if (!path) return "";
    if (!start) return path;
    return path + ":" + start + (end && end !== start ? "-" + end : "");
  }

  // --- a filterable, sortable, paged list of rows ---
  // options: rows, columns [{key, label, kind: "text"|"num"|"license"|"verdict", value(row)}],
  // selects [{key, label, values}], pageSize, render(container, rows) for non-table views.
  function Pager(root, options) {
    var rows = options.rows;
    var columns = options.columns;
    var pageSize = options.pageSize || 100;
    var shown = rows;
    var page = 0;
    var sortKey = null;
    var sortDir = 1;
    var haystacks = null;
    var selectValues = {};

    function value(row, column) {
      return column.value ? column.value(row) : row[column.key];
    }

    function haystack(i) {
      if (haystacks === null) haystacks = new Array(rows.length);
      if (haystacks[i] === undefined) {
        var parts = [];
        columns.forEach(function (c) {
          var v = value(rows[i], c);
          if (v !== null && v !== undefined) parts.push(String(v));
        });
        haystacks[i] = parts.join("\n").toLowerCase();
      }
      return haystacks[i];
    }

    var toolbar = el("div", "toolbar");
    var search = el("input");
    search.type = "search";
    search.placeholder = "Filter (every word must match)";
    search.setAttribute("aria-label", "Filter " + options.name);
    toolbar.appendChild(search);
    (options.selects || []).forEach(function (s) {
      var select = el("select");
      select.setAttribute("aria-label", s.label);
      select.dataset.key = s.key;
      select.appendChild(new Option("any " + s.label, ""));
      s.values.forEach(function (v) {
        select.appendChild(new Option(v, v));
      });
      select.addEventListener("change", function () {
        selectValues[s.key] = select.value;
        apply();
      });
      toolbar.appendChild(select);
    });
    var status = el("span", "status");
    toolbar.appendChild(status);
    root.appendChild(toolbar);

    var body;
    var headers = [];
    if (options.render) {
      body = el("div", "cards");
      root.appendChild(body);
    } else {
      var table = el("table", "data");
      var head = el("thead");
      var tr = el("tr");
      columns.forEach(function (c) {
        var th = el("th");
        th.setAttribute("aria-sort", "none");
        th.dataset.key = c.key;
        var button = el("button", null, c.label);
        button.type = "button";
        button.addEventListener("click", function () {
          sortBy(c);
        });
        th.appendChild(button);
        tr.appendChild(th);
        headers.push(th);
      });
      head.appendChild(tr);
      table.appendChild(head);
      body = el("tbody");
      table.appendChild(body);
      root.appendChild(table);
    }
    var pager = el("div", "pager");
    var prev = el("button", null, "\u2190 Previous");
    var next = el("button", null, "Next \u2192");
    var where = el("span", "status");
    prev.type = next.type = "button";
    prev.addEventListener("click", function () {
      page -= 1;
      draw();
    });
    next.addEventListener("click", function () {
      page += 1;
      draw();
    });
    pager.appendChild(prev);
    pager.appendChild(where);
    pager.appendChild(next);
    root.appendChild(pager);

    function apply() {
      var terms = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      var keys = Object.keys(selectValues).filter(function (k) {
        return selectValues[k];
      });
      var picked = [];
      for (var i = 0; i < rows.length; i += 1) {
        var ok = keys.every(function (k) {
          return String(rows[i][k]) === selectValues[k];
        });
        if (ok && terms.length) {
          var hay = haystack(i);
          ok = terms.every(function (t) {
            return hay.indexOf(t) !== -1;
          });
        }
        if (ok) picked.push(rows[i]);
      }
      shown = picked;
      if (sortKey) sortRows();
      page = 0;
      draw();
    }

    function sortRows() {
      var column = columns.filter(function (c) {
        return c.key === sortKey;
      })[0];
      shown = shown.slice().sort(function (a, b) {
        var x = value(a, column);
        var y = value(b, column);
        if (x === y) return 0;
        if (x === null || x === undefined || x === "") return 1; // empty last, either way
        if (y === null || y === undefined || y === "") return -1;
        if (typeof x === "number" && typeof y === "number") return (x - y) * sortDir;
        return collator.compare(String(x), String(y)) * sortDir;
      });
    }

    function sortBy(column) {
      sortDir = sortKey === column.key ? -sortDir : 1;
      sortKey = column.key;
      headers.forEach(function (th) {
        var on = th.dataset.key === sortKey;
        th.setAttribute("aria-sort", on ? (sortDir > 0 ? "ascending" : "descending") : "none");
      });
      sortRows();
      page = 0;
      draw();
    }

    function cell(row, column) {
      var td = el("td", column.kind === "num" ? "num" : "");
      var v = value(row, column);
      if (column.kind === "license") td.appendChild(expression(v));
      else if (column.kind === "verdict" && v) td.appendChild(badge(v));
      else if (column.kind === "button") td.appendChild(column.button(row));
      else td.textContent = v === null || v === undefined ? "" : String(v);
      return td;
    }

    function draw() {
      var pages = Math.max(1, Math.ceil(shown.length / pageSize));
      page = Math.min(Math.max(page, 0), pages - 1);
      var slice = shown.slice(page * pageSize, (page + 1) * pageSize);
      body.textContent = "";
      if (options.render) {
        options.render(body, slice);
      } else {
        var frag = document.createDocumentFragment();
        slice.forEach(function (row) {
          var tr = el("tr");
          columns.forEach(function (c) {
            tr.appendChild(cell(row, c));
          });
          frag.appendChild(tr);
        });
        body.appendChild(frag);
      }
      status.textContent =
        shown.length === rows.length
          ? rows.length + " " + options.name
          : shown.length + " of " + rows.length + " " + options.name;
      status.dataset.shown = String(shown.length);
      status.dataset.total = String(rows.length);
      status.dataset.query = search.value; // the filter these rows answer (tests wait on it)
      where.textContent = "page " + (page + 1) + " of " + pages;
      prev.disabled = page === 0;
      next.disabled = page >= pages - 1;
      pager.hidden = pages === 1;
    }

    var timer = null;
    search.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(apply, rows.length > 5000 ? 150 : 0);
    });
    draw();
  }

  function distinct(rows, key) {
    var seen = {};
    rows.forEach(function (r) {
      if (r[key] !== null && r[key] !== undefined) seen[r[key]] = true;
    });
    return Object.keys(seen).sort(collator.compare);
  }

  function mount(id, options) {
    var section = document.getElementById(id);
    if (!section) return;
    var count = section.querySelector("h2 .n");
    if (count) count.textContent = "(" + options.rows.length + ")";
    if (!options.rows.length) {
      section.appendChild(el("p", "empty", options.empty || "None."));
      return;
    }
    Pager(section, options);
  }

  // --- violations, worst first, each with how to resolve it ---
  var conflicts = {};
  data.conflicts.forEach(function (c) {
    conflicts[c.purl] = c;
  });

  function pair(dl, term, content) {
    if (content === null || content === undefined || content === "") return;
    dl.appendChild(el("dt", null, term));
    var dd = el("dd");
    if (typeof content === "string") dd.textContent = content;
    else dd.appendChild(content);
    dl.appendChild(dd);
  }

  function snippet(text) {
    return el("pre", "snippet", text);
  }

  function card(f) {
    var article = el("article", "finding " + f.verdict);
    article.dataset.finding = String(f.id);
    var header = el("header");
    header.appendChild(badge(f.verdict));
    if (f.baseline) header.appendChild(badge(f.baseline));
    header.appendChild(el("span", "op", f.check));
    header.appendChild(el("span", "name mono", f.name));
    article.appendChild(header);
    var dl = el("dl");
    pair(dl, "License", expression(f.expression));
    if (f.elected) pair(dl, "Elected", expression(f.elected));
    pair(dl, "Rule", f.rule + "  (" + f.origin + ")");
    if (f.licenses) {
      var list = el("span");
      f.licenses.forEach(function (lv, i) {
        if (i) list.appendChild(document.createTextNode("; "));
        list.appendChild(expression(lv.id));
        list.appendChild(document.createTextNode(": " + lv.verdict + " (" + lv.rule + ")"));
      });
      pair(dl, "Per license", list);
    }
    if (f.subject === "file") {
      pair(dl, "File", location(f.path, f.start, f.end));
    } else {
      pair(dl, f.subject === "dependency" ? "Dependency" : "Package", f.package);
      pair(dl, "Manifest", location(f.path, f.start));
    }
    pair(dl, "Scope", f.scope);
    var c = f.check === "package-conflict" ? conflicts[f.package] : null;
    if (c) {
      pair(dl, "Declared", expression(c.declared));
      pair(dl, "Detected", expression(c.detected));
      pair(dl, "License files", c.license_files.join(", "));
    }
    pair(dl, "Context", f.context);
    pair(dl, "Issue", f.issue);
    pair(dl, "Note", f.note);
    article.appendChild(dl);
    if (f.waiver_yaml) {
      var details = el("details", "resolve");
      details.appendChild(el("summary", null, "How to resolve"));
      details.appendChild(
        el("p", null, "Accept it: add this waiver to the policy, with the reason and who approved it.")
      );
      details.appendChild(snippet(f.waiver_yaml));
      if (f.curation_yaml) {
        details.appendChild(
          el(
            "p",
            null,
            "Or correct a wrong detection: a curation with the right license, pinned to the " +
              "license files it overrides (stale when they change)."
          )
        );
        details.appendChild(snippet(f.curation_yaml));
      }
      article.appendChild(details);
    }
    return article;
  }

  var violations = data.findings.filter(function (f) {
    return f.verdict !== "pass";
  });
  var findingColumns = [
    { key: "verdict", label: "Verdict", kind: "verdict" },
    { key: "check", label: "Check" },
    { key: "name", label: "Name" },
    { key: "expression", label: "License", kind: "license" },
    { key: "rule", label: "Rule" },
    { key: "baseline", label: "Baseline" },
  ];
  var findingSelects = [{ key: "verdict", label: "verdict", values: ["deny", "review"] }];
  if (data.baseline) {
    findingSelects.push({ key: "baseline", label: "baseline state", values: ["new", "unchanged"] });
  }
  mount("violations", {
    name: "violations",
    rows: violations,
    columns: findingColumns.concat([{ key: "path", label: "Path" }, { key: "package", label: "Package" }]),
    selects: findingSelects,
    pageSize: 25,
    empty: "No violations: every finding passes the policy.",
    render: function (container, slice) {
      slice.forEach(function (f) {
        container.appendChild(card(f));
      });
    },
  });
  mount("conflicts", {
    name: "conflicts",
    rows: data.conflicts,
    columns: [
      { key: "purl", label: "Package" },
      { key: "declared", label: "Declared", kind: "license" },
      { key: "detected", label: "Detected in files", kind: "license" },
      { key: "license_files", label: "License files", value: function (r) { return r.license_files.join(", "); } },
      { key: "concluded", label: "Concluded", kind: "license" },
      { key: "manifest", label: "Manifest" },
    ],
    empty: "No package whose declared license and license files disagree.",
  });
  mount("errors", {
    name: "scan errors",
    rows: data.findings.filter(function (f) {
      return f.check === "scan-error";
    }),
    columns: [
      { key: "verdict", label: "Verdict", kind: "verdict" },
      { key: "path", label: "Path" },
      { key: "issue", label: "Issue" },
      { key: "rule", label: "Rule" },
      { key: "waiver", label: "Waiver" },
    ],
    empty: "No scan errors: every file was read and judged.",
  });
  mount("packages", {
    name: "packages",
    rows: data.packages,
    columns: [
      { key: "type", label: "Ecosystem" },
      { key: "name", label: "Name" },
      { key: "version", label: "Version" },
      { key: "concluded", label: "Concluded", kind: "license" },
      { key: "declared", label: "Declared", kind: "license" },
      { key: "detected", label: "Detected", kind: "license" },
      { key: "reason", label: "How concluded" },
      { key: "manifest", label: "Manifest", value: function (r) { return location(r.manifest, r.line); } },
      { key: "purl", label: "purl" },
    ],
    selects: [{ key: "type", label: "ecosystem", values: distinct(data.packages, "type") }],
  });
  mount("dependencies", {
    name: "dependencies",
    rows: data.dependencies,
    columns: [
      { key: "name", label: "Name" },
      { key: "scope", label: "Scope" },
      { key: "direct", label: "Direct", value: function (r) { return r.direct ? "direct" : "transitive"; } },
      { key: "requirement", label: "Requirement" },
      { key: "version", label: "Resolved" },
      { key: "license", label: "License", kind: "license" },
      { key: "source", label: "License from" },
      { key: "manifest", label: "Manifest", value: function (r) { return location(r.manifest, r.line); } },
      { key: "purl", label: "purl" },
    ],
    selects: [{ key: "scope", label: "scope", values: distinct(data.dependencies, "scope") }],
  });
  mount("files", {
    name: "files",
    rows: data.files,
    columns: [
      { key: "path", label: "Path" },
      { key: "verdict", label: "Verdict", kind: "verdict" },
      { key: "license", label: "License", kind: "license" },
      { key: "holders", label: "Copyright holders" },
      { key: "size", label: "Size", kind: "num" },
      { key: "status", label: "Status" },
      { key: "issues", label: "Issues" },
    ],
    selects: [{ key: "verdict", label: "verdict", values: ["deny", "review", "pass"] }],
  });
  mount("findings", {
    name: "findings",
    rows: data.findings,
    columns: findingColumns.concat([
      { key: "waiver", label: "Waiver" },
      { key: "elected", label: "Elected", kind: "license" },
    ]),
    selects: [{ key: "verdict", label: "verdict", values: ["deny", "review", "pass"] }],
  });
  var licenseRows = Object.keys(licenses).map(function (id) {
    return { id: id, name: licenses[id].name, category: licenses[id].category };
  });
  mount("licenses", {
    name: "licenses",
    rows: licenseRows,
    columns: [
      { key: "id", label: "License", kind: "license" },
      { key: "name", label: "Name" },
      { key: "category", label: "ScanCode category" },
    ],
  });
  if (data.baseline) {
    mount("fixed", {
      name: "fixed findings",
      rows: data.baseline.fixed,
      columns: [
        { key: "verdict", label: "Was", kind: "verdict" },
        { key: "check", label: "Check" },
        { key: "name", label: "Name" },
        { key: "expression", label: "License", kind: "license" },
      ],
      empty: "Nothing of the baseline is gone.",
    });
  }
  document.body.dataset.ready = "true";
})();
