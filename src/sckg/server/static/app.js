// The query page: examples from the library, a query editor, a results table, download links.
// Every value from the server is put into the page with textContent, never as HTML: result values
// are data, and some of them are quotes from outside sources.
"use strict";

const RESULTS_ACCEPT = "application/sparql-results+json, text/turtle;q=0.9";
const SOLUTION_FORMATS = [["json", "JSON"], ["xml", "XML"], ["csv", "CSV"], ["tsv", "TSV"]];
const GRAPH_FORMATS = [["ttl", "Turtle"], ["nt", "N-Triples"], ["jsonld", "JSON-LD"], ["rdf", "RDF/XML"]];
// Datatypes so common that naming them on every number is noise: shown on hover only.
const QUIET_DATATYPES = new Set(["http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#string",
                                 "http://www.w3.org/2001/XMLSchema#decimal"]);
const PN_LOCAL = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?$/;
let prefixes = {};
let loadedExample = null;  // the example whose question is shown, to tell when the user has edited its query

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

// How an IRI is written in a query: as a prefixed name where that is valid SPARQL, else <...>.
function sparqlTerm(iri) {
  const short = curie(iri);
  const local = short.startsWith("<") ? "" : short.slice(short.indexOf(":") + 1);
  return !short.startsWith("<") && (local === "" || PN_LOCAL.test(local)) ? short : `<${iri}>`;
}

// The query a click on an IRI runs: every triple it is the subject of, then every triple pointing to
// it, as a table (whose IRIs can be clicked in turn).
function aboutQuery(iri) {
  const t = sparqlTerm(iri);
  return `# Everything the graph says about ${t}, and what refers to it\n` +
    "SELECT ?subject ?predicate ?object WHERE {\n" +
    `  { BIND(${t} AS ?subject) ${t} ?predicate ?object }\n` +
    "  UNION\n" +
    `  { ?subject ?predicate ${t} BIND(${t} AS ?object) }\n` +
    `}\nORDER BY (?subject != ${t}) ?predicate ?object ?subject`;  // its own triples first
}

function exploreIri(iri) {
  const text = aboutQuery(iri);
  document.querySelectorAll(".example.active").forEach((b) => b.classList.remove("active"));
  showQuestion({ title: `About ${curie(iri)}`, question: iri });
  loadedExample = text;
  setQuery(text);
  run();
}

function renderTerm(term) {
  const cell = el("td");
  if (!term) return cell;
  if (term.type === "uri") {
    // A real link (to the page with this query), so it can also be opened in a new tab.
    const link = el("a", { class: "iri", title: `${term.value}\nClick to see what the graph says about it`,
                           href: `/?${new URLSearchParams({ query: aboutQuery(term.value) })}` }, curie(term.value));
    link.addEventListener("click", (event) => {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      exploreIri(term.value);
    });
    cell.append(link);
  } else if (term.type === "bnode") {
    cell.textContent = `_:${term.value}`;
  } else if (term.type === "triple") {
    const v = term.value;
    cell.textContent = `<< ${[v.subject, v.predicate, v.object].map((t) => t.value).join(" ")} >>`;
  } else {
    cell.append(document.createTextNode(term.value));
    if (term["xml:lang"]) cell.append(el("span", { class: "lang" }, ` @${term["xml:lang"]}`));
    else if (!term.datatype) cell.title = "xsd:string";  // SPARQL JSON leaves xsd:string implicit
    else if (QUIET_DATATYPES.has(term.datatype)) cell.title = curie(term.datatype);
    else if (term.datatype) cell.append(el("span", { class: "dt", title: term.datatype }, ` ${curie(term.datatype)}`));
  }
  return cell;
}

// The notice box holds zero or more messages, one paragraph each (an error, the row cap, unknown graphs).
function showNotice(message, isError) {
  const notice = $("notice");
  notice.hidden = !message;
  notice.className = isError ? "notice error" : "notice";
  notice.replaceChildren();
  if (message) notice.append(el("p", {}, message));
}

function addNotice(message, kind) {
  const notice = $("notice");
  if (notice.hidden) { notice.replaceChildren(); notice.className = "notice"; }
  notice.append(el("p", { class: kind }, message));
  notice.hidden = false;
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

// The VALUES clause for the filled parameter fields: each value must be a CURIE with a known prefix
// or an <IRI> without the characters an IRI may not hold, so nothing but one IRI term is ever added.
function parameterClause() {
  const clauses = [];
  for (const input of document.querySelectorAll("#question input.param")) {
    const raw = input.value.trim();
    if (!raw) continue;
    let iri = raw.startsWith("<") && raw.endsWith(">") ? raw.slice(1, -1) : null;
    if (iri === null) {
      const colon = raw.indexOf(":");
      const prefix = colon > 0 ? raw.slice(0, colon) : null;
      if (prefix && prefixes[prefix]) iri = prefixes[prefix] + raw.slice(colon + 1);
      else if (/^https?:\/\//.test(raw)) iri = raw;
    }
    if (iri === null || !/^[^<>"{}|^`\\\s]+$/.test(iri)) throw new Error(`${input.dataset.param}: give a CURIE such as kg:cap or an <IRI>`);
    clauses.push(`VALUES ?${input.dataset.param} { <${iri}> }`);
  }
  return clauses.length ? "\n" + clauses.join("\n") + "\n" : "";
}

async function run() {
  let query = $("query").value;
  try {
    query += parameterClause();
  } catch (error) {
    showNotice(error.message, true);
    return;
  }
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
      addNotice(`The answer had more than ${limit} ${unit}s, this server's limit: only the first ${limit} are ` +
                "shown and downloadable. Add LIMIT/OFFSET or narrow the query to see the rest.", "truncated");
    }
    const unknown = response.headers.get("X-SCKG-Unknown-Graphs");
    if (unknown) {
      addNotice(`This dataset has no graph ${unknown}: FROM, FROM NAMED and the graph parameters only choose ` +
                "among the local graphs (nothing is fetched), so that graph is empty. The graphs are listed " +
                "under 'Graphs' below.", "unknown-graphs");
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
  const title = el("div", { class: "title" }, example.title);
  title.append(el("span", { class: "edited", hidden: "" }, " (edited)"));
  box.replaceChildren(title, el("div", { class: "text" }, example.question));
  if (example.notes) box.append(el("div", { class: "notes" }, example.notes));
  // A question's parameters (e.g. holder): one field each. A filled field binds the variable with a
  // VALUES clause holding one checked IRI term, the standard SPARQL way to bind; an empty one leaves it free.
  for (const param of example.params || []) {
    const input = el("input", { class: "param", "data-param": param.name, placeholder: param.default || "kg:…",
                                title: param.description, "aria-label": param.name });
    const label = el("label", { class: "param" }, `${param.name}: `);
    label.append(input, document.createTextNode(` ${param.description}`));
    box.append(label);
  }
  box.classList.remove("edited");
  box.hidden = false;
}

function setQuery(text) {
  $("query").value = text;
  markEdited();
}

// The question above the editor belongs to the query as loaded: once the user changes the query,
// say so, and say it no longer when the text is back to the original.
function markEdited() {
  const box = $("question");
  if (box.hidden || !loadedExample) return;
  const edited = $("query").value !== loadedExample;
  box.classList.toggle("edited", edited);
  const marker = box.querySelector(".edited");
  if (marker) marker.hidden = !edited;
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
      showQuestion(example);
      loadedExample = example.text;
      setQuery(example.text);
      run();
    });
    list.append(button);
  }
}

async function loadInfo() {
  try {
    const info = await (await fetch("/api/info")).json();
    prefixes = info.prefixes || {};
    showGraphs(info.graphs || {});
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

// /?query=... (a link, or a browser sent here from /sparql): that query in the editor, run.
function queryFromAddress() {
  const query = new URLSearchParams(window.location.search).get("query");
  if (!query) return false;
  $("query").value = query;
  return true;
}

function showGraphs(graphs) {
  const box = $("graphs");
  box.replaceChildren(document.createTextNode("Graphs: "));
  for (const [iri, size] of Object.entries(graphs)) {
    box.append(el("code", { title: `${size} triples` }, `<${iri}>`), document.createTextNode(" "));
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("run").addEventListener("click", run);
  $("query").addEventListener("input", markEdited);
  $("query").addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  });
  const fromAddress = queryFromAddress();
  // Prefixes first: the results' IRIs are shortened with them.
  loadInfo().then(() => { if (fromAddress) run(); });
  loadExamples();
});
