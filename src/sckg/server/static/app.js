// The query page: examples from the library, a query editor, a results table, download links.
// Every value from the server is put into the page with textContent, never as HTML: result values
// are data, and some of them are quotes from outside sources.
"use strict";

const RESULTS_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const SOLUTION_FORMATS = [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
const GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"], ["rdf", "RDF/XML"]];
let prefixes = {};

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

function curie(iri) {
  let best = "", name = "";
  for (const [prefix, ns] of Object.entries(prefixes)) {
    if (iri.startsWith(ns) && ns.length > best.length) { best = ns; name = prefix; }
  }
  return best ? `${name}:${iri.slice(best.length)}` : `<${iri}>`;
}

function renderTerm(term) {
  const cell = el("td");
  if (!term) return cell;
  if (term.type === "uri") {
    cell.append(el("span", { class: "iri", title: term.value }, curie(term.value)));
  } else if (term.type === "bnode") {
    cell.textContent = `_:${term.value}`;
  } else if (term.type === "triple") {
    const v = term.value;
    cell.textContent = `<< ${[v.subject, v.predicate, v.object].map((t) => t.value).join(" ")} >>`;
  } else {
    cell.append(document.createTextNode(term.value));
    if (term["xml:lang"]) cell.append(el("span", { class: "lang" }, ` @${term["xml:lang"]}`));
    else if (term.datatype) cell.append(el("span", { class: "dt", title: term.datatype }, ` ${curie(term.datatype)}`));
  }
  return cell;
}

function showNotice(message, isError) {
  const notice = $("notice");
  notice.hidden = !message;
  notice.className = isError ? "notice error" : "notice";
  notice.textContent = message || "";
}

function showDownloads(query, form) {
  const box = $("downloads");
  box.replaceChildren(document.createTextNode("Download these results: "));
  const formats = form === "CONSTRUCT" || form === "DESCRIBE" ? GRAPH_FORMATS : SOLUTION_FORMATS;
  for (const [format, label] of formats) {
    const params = new URLSearchParams({ query, format });
    box.append(el("a", { href: `/sparql?${params}`, download: "", "data-format": format }, label));
  }
  box.hidden = false;
}

function renderSolutions(data) {
  const results = $("results");
  if (typeof data.boolean === "boolean") {
    results.replaceChildren(el("p", { class: "boolean", style: "padding:.5rem" }, `ASK: ${data.boolean}`));
    return 1;
  }
  const vars = data.head.vars;
  const table = el("table", { id: "results-table" });
  const headRow = el("tr");
  for (const v of vars) headRow.append(el("th", {}, `?${v}`));
  const head = el("thead");
  head.append(headRow);
  table.append(head);
  const body = el("tbody");
  for (const binding of data.results.bindings) {
    const row = el("tr");
    for (const v of vars) row.append(renderTerm(binding[v]));
    body.append(row);
  }
  table.append(body);
  results.replaceChildren(table);
  return data.results.bindings.length;
}

async function run() {
  const query = $("query").value;
  const button = $("run");
  button.disabled = true;
  $("status").textContent = "Running…";
  showNotice("");
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: RESULTS_ACCEPT },
      body: new URLSearchParams({ query }),
    });
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      $("results").replaceChildren();
      $("downloads").hidden = true;
      $("status").textContent = `Error ${response.status} after ${seconds} s`;
      showNotice(await response.text(), true);
      return;
    }
    const form = response.headers.get("X-SCKG-Query-Form") || "SELECT";
    const limit = response.headers.get("X-SCKG-Row-Limit");
    let count;
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      count = renderSolutions(await response.json());
    } else {
      const pre = el("pre", { class: "graph" }, await response.text());
      $("results").replaceChildren(pre);
      count = Number(response.headers.get("X-SCKG-Rows") || 0);
    }
    const unit = form === "CONSTRUCT" || form === "DESCRIBE" ? "triple" : "row";
    $("status").textContent = form === "ASK" ? `Answered in ${seconds} s` :
      `${count} ${unit}${count === 1 ? "" : "s"} in ${seconds} s`;
    if (response.headers.get("X-SCKG-Truncated") === "true") {
      showNotice(`The answer had more than ${limit} ${unit}s, this server's limit: only the first ${limit} are ` +
                 "shown and downloadable. Add LIMIT/OFFSET or narrow the query to see the rest.", false);
    }
    showDownloads(query, form);
  } catch (error) {
    $("status").textContent = "The server could not be reached.";
  } finally {
    button.disabled = false;
  }
}

function showQuestion(example) {
  const box = $("question");
  box.replaceChildren(el("div", { class: "title" }, example.title), el("div", {}, example.question));
  if (example.notes) box.append(el("div", { class: "notes" }, example.notes));
  box.hidden = false;
}

async function loadExamples() {
  const list = $("example-list");
  let examples = [];
  try {
    examples = await (await fetch("/api/examples")).json();
  } catch (error) { /* the page still works without examples */ }
  list.replaceChildren();
  if (!examples.length) { list.append(el("p", { class: "hint" }, "No example questions were found.")); return; }
  let group = null;
  for (const example of examples) {
    if (example.group !== group) {
      group = example.group;
      list.append(el("h3", {}, example.group_title));
    }
    const button = el("button", { class: "example", type: "button", "data-name": example.name, title: example.question },
                      example.title);
    button.addEventListener("click", () => {
      document.querySelectorAll(".example.active").forEach((b) => b.classList.remove("active"));
      button.classList.add("active");
      $("query").value = example.text;
      showQuestion(example);
      run();
    });
    list.append(button);
  }
}

async function loadInfo() {
  try {
    const info = await (await fetch("/api/info")).json();
    prefixes = info.prefixes || {};
    $("limits").textContent = `Limits per query: ${info.timeout} s, ${info.row_limit} rows. Read-only; SERVICE is refused.`;
    const dumps = $("dumps");
    if (info.dumps.length) {
      dumps.append(document.createTextNode("Whole dataset: "));
      for (const name of info.dumps) dumps.append(el("a", { href: `/dist/${encodeURIComponent(name)}` }, name));
    } else {
      dumps.textContent = "No dumps yet: run 'sckg build' to write dist/, then reload.";
    }
  } catch (error) { /* limits are informative only */ }
}

document.addEventListener("DOMContentLoaded", () => {
  $("run").addEventListener("click", run);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  loadInfo();
  loadExamples();
});
