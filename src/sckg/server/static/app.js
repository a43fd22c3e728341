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
let replaced = false;  // the user replaced or cleared the whole query: the shown question no longer applies
let editor = null;  // the CodeMirror view, when codemirror.min.js loaded; without it the text area is the editor
let lastAnswer = null;  // the last SELECT answer and its sort order, so a header click can re-sort it
const NUMERIC_DATATYPES = new Set(["integer", "decimal", "double", "float", "int", "long", "short", "byte",
  "nonNegativeInteger", "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
  "unsignedShort", "unsignedByte"].map((name) => `http://www.w3.org/2001/XMLSchema#${name}`));

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

// How an IRI is written in a query, and shown in a result cell (so a copied cell pastes back into a
// query): as a prefixed name where that is valid SPARQL, else <...>; the same rule as the CLI's
// sckg.namespaces.pasteable (kg:cap-2011-06-17/applauds-obama would be a syntax error).
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
  showQuestion({ title: `About ${sparqlTerm(iri)}`, question: iri });
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
                           href: `/?${new URLSearchParams({ query: aboutQuery(term.value) })}` }, sparqlTerm(term.value));
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
    else if (QUIET_DATATYPES.has(term.datatype)) cell.title = sparqlTerm(term.datatype);
    else if (term.datatype) cell.append(el("span", { class: "dt", title: term.datatype }, ` ${sparqlTerm(term.datatype)}`));
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
    // A class, not a style attribute: the page's CSP (style-src 'self') refuses inline styles.
    results.replaceChildren(el("p", { class: "boolean" }, `ASK: ${data.boolean}`));
    lastAnswer = null;
    return 1;
  }
  const vars = data.head.vars;
  lastAnswer = { vars, bindings: data.results.bindings, column: null, descending: false };
  const table = el("table", { id: "results-table" });
  const headRow = el("tr");
  vars.forEach((v, index) => {
    const th = el("th", { tabindex: "0", title: "Click to sort by this column (again to reverse)" }, `?${v}`);
    th.addEventListener("click", () => sortBy(index));
    th.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); sortBy(index); } });
    headRow.append(th);
  });
  const head = el("thead");
  head.append(headRow);
  table.append(head);
  table.append(el("tbody"));
  results.replaceChildren(table);
  fillRows(lastAnswer.bindings);
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

function fillRows(bindings) {
  const body = document.querySelector("#results-table tbody");
  const rows = bindings.map((binding) => {
    const row = el("tr");
    for (const v of lastAnswer.vars) row.append(renderTerm(binding[v]));
    return row;
  });
  body.replaceChildren(...rows);
}

// How a value sorts: unbound first, then blank nodes, IRIs, literals (SPARQL's ORDER BY order);
// numbers by value, other terms by their text as shown, with digits inside text compared as numbers.
function sortKey(term) {
  if (!term) return [0, 0, ""];
  if (term.type === "bnode") return [1, 0, term.value];
  if (term.type === "uri") return [2, 0, sparqlTerm(term.value)];
  if (term.type === "literal" && NUMERIC_DATATYPES.has(term.datatype) && !Number.isNaN(Number(term.value))) {
    return [3, Number(term.value), ""];
  }
  return [4, 0, term.value];
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: "base" });

function compareTerms(a, b) {
  const [ra, na, ta] = sortKey(a), [rb, nb, tb] = sortKey(b);
  return ra - rb || na - nb || collator.compare(ta, tb);
}

// A header click sorts ascending, a second click on the same header descending. The sort is stable,
// so rows equal in this column keep the order the query gave them.
function sortBy(index) {
  if (!lastAnswer) return;
  const descending = lastAnswer.column === index ? !lastAnswer.descending : false;
  Object.assign(lastAnswer, { column: index, descending });
  const v = lastAnswer.vars[index];
  const sorted = lastAnswer.bindings.map((binding, i) => [binding, i]).sort(([a, i], [b, j]) =>
    (descending ? -compareTerms(a[v], b[v]) : compareTerms(a[v], b[v])) || i - j).map(([binding]) => binding);
  fillRows(sorted);
  document.querySelectorAll("#results-table th").forEach((th, i) => {
    if (i === index) th.setAttribute("aria-sort", descending ? "descending" : "ascending");
    else th.removeAttribute("aria-sort");
  });
}

function getQuery() {
  return editor ? editor.state.doc.toString() : $("query").value;
}

// The address of the page with this query: opening it fills the editor and runs the query.
function permalink(query) {
  return `/?${new URLSearchParams({ query })}`;
}

async function run() {
  // The permalink holds the query as run, parameter bindings included, so that it reproduces the result.
  let query = getQuery();
  try {
    query += parameterClause();
  } catch (error) {
    showNotice(error.message, true);
    return;
  }
  const link = permalink(query);
  if (window.location.pathname + window.location.search !== link) window.history.pushState({ query }, "", link);
  $("permalink").href = link;
  $("permalink").hidden = false;
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
  const title = el("div", { class: "title" });
  title.append(el("span", { class: "from", hidden: "" }, "Edited from: "), document.createTextNode(example.title),
               el("span", { class: "edited", hidden: "" }, " (edited)"));
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
  box.append(el("div", { class: "stale", hidden: "" },
                "The query has been changed, so the question and notes of the original no longer describe it."));
  box.classList.remove("edited");
  box.hidden = false;
  replaced = false;
}

function setQuery(text) {
  if (editor) editor.dispatch({ changes: { from: 0, to: editor.state.doc.length, insert: text } });
  else $("query").value = text;
  replaced = false;
  markEdited();
}

// The banner above the editor describes the query as loaded (a library question, or "About <IRI>").
// Once the user edits the query it no longer does: it keeps only the title, marked "(edited)", and
// drops the question text and notes; when the user clears or replaces the whole query it goes away.
// Typing the text back to the original brings the whole banner back.
function markEdited() {
  const box = $("question");
  if (!loadedExample) return;
  const text = getQuery();
  const edited = text !== loadedExample;
  if (text.trim() === "") replaced = true;
  box.hidden = edited && replaced;
  if (box.hidden) document.querySelectorAll(".example.active").forEach((b) => b.classList.remove("active"));
  box.classList.toggle("edited", edited);
  for (const selector of [".edited", ".from", ".stale"]) {
    const part = box.querySelector(selector);
    if (part) part.hidden = !edited;
  }
  for (const selector of [".text", ".notes"]) {
    const part = box.querySelector(selector);
    if (part) part.hidden = edited;
  }
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
  showExampleFor(examples, getQuery());
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
  setQuery(query);
  return true;
}

// A permalink to a library question shows that question's banner too, once the library is loaded.
function showExampleFor(examples, text) {
  const example = examples.find((e) => e.text === text);
  if (!example) return;
  const button = document.querySelector(`.example[data-name="${CSS.escape(example.name)}"]`);
  if (button) button.classList.add("active");
  showQuestion(example);
  loadedExample = example.text;
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
  editor = window.SckgEditor ? createEditor($("query")) : null;
  if (!editor) {  // the plain text area: still a working editor, without highlighting or completion
    $("query").addEventListener("input", markEdited);
    $("query").addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
    });
  }
  // Back and Forward step through the queries run, as the address bar shows them.
  window.addEventListener("popstate", () => { if (queryFromAddress()) run(); });
  const fromAddress = queryFromAddress();
  // Prefixes first: the results' IRIs are shortened with them.
  loadInfo().then(() => { if (fromAddress) run(); });
  loadExamples();
});

// ---- The editor: CodeMirror 6 (vendored as codemirror.min.js) with SPARQL highlighting and completion.

const KEYWORDS = ["SELECT", "DISTINCT", "REDUCED", "WHERE", "PREFIX", "BASE", "ASK", "CONSTRUCT", "DESCRIBE", "FROM",
  "NAMED", "GRAPH", "OPTIONAL", "UNION", "MINUS", "FILTER", "BIND", "VALUES", "EXISTS", "NOT", "GROUP", "BY",
  "HAVING", "ORDER", "ASC", "DESC", "LIMIT", "OFFSET", "COUNT", "SUM", "MIN", "MAX", "AVG", "SAMPLE",
  "GROUP_CONCAT", "SEPARATOR", "STR", "LANG", "LANGMATCHES", "DATATYPE", "BOUND", "IRI", "STRSTARTS", "STRENDS",
  "CONTAINS", "REGEX", "LCASE", "UCASE", "STRLEN", "SUBSTR", "COALESCE", "IF", "ISIRI", "ISLITERAL", "ISBLANK"];
let termsByPrefix = null;  // prefix -> [{label, detail, info}], read once from the graph itself

// The ontology's terms (sckg:) and the named individuals of the data (kg:), with label and kind,
// asked of this endpoint with SPARQL: the completion offers what the graph really has.
async function loadTerms() {
  if (termsByPrefix) return termsByPrefix;
  termsByPrefix = {};
  // One query per namespace, so that many instances cannot crowd the ontology's terms out of a
  // server's row limit.
  for (const prefix of ["sckg", "kg"].filter((p) => prefixes[p])) {
    const query = "SELECT ?term (SAMPLE(?t) AS ?type) (SAMPLE(?l) AS ?label) (SAMPLE(?d) AS ?definition) WHERE {\n" +
      "  ?term a ?t . OPTIONAL { ?term rdfs:label ?l } OPTIONAL { ?term skos:definition ?d }\n" +
      `  FILTER(isIRI(?term) && STRSTARTS(STR(?term), "${prefixes[prefix]}"))\n} GROUP BY ?term ORDER BY ?term`;
    try {
      const response = await fetch("/sparql", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json" },
        body: new URLSearchParams({ query }),
      });
      if (!response.ok) continue;
      for (const b of (await response.json()).results.bindings) {
        const local = b.term.value.slice(prefixes[prefix].length);
        if (!PN_LOCAL.test(local)) continue;  // not writable as a prefixed name
        (termsByPrefix[prefix] ||= []).push({
          label: local, type: kindOf(b.type && b.type.value),
          detail: b.label ? b.label.value : "", info: b.definition ? b.definition.value : undefined,
        });
      }
    } catch (error) { /* completion is a convenience: without it the editor still works */ }
  }
  return termsByPrefix;
}

function kindOf(typeIri) {
  if (!typeIri) return "variable";
  if (typeIri.endsWith("#Class")) return "class";
  if (typeIri.endsWith("Property")) return "property";
  return "constant";
}

// The prefixes the query declares itself, so completion does not offer to declare them again.
function declaredPrefixes(text) {
  return new Set([...text.matchAll(/PREFIX\s+([A-Za-z][\w.-]*)?:/gi)].map((m) => m[1] || ""));
}

async function completeSparql(context) {
  const before = context.state.sliceDoc(Math.max(0, context.pos - 200), context.pos);
  // After PREFIX: a whole declaration from the project's prefixes.
  const declaring = /PREFIX\s+([A-Za-z][\w.-]*)?:?$/i.exec(before);
  if (declaring) {
    const from = context.pos - (declaring[0].length - declaring[0].search(/\S*$/));
    return {
      from, validFor: /^[\w.-]*:?$/,
      options: Object.entries(prefixes).map(([p, ns]) => ({ label: `${p}: <${ns}>`, type: "namespace", detail: "" })),
    };
  }
  const word = context.matchBefore(/[A-Za-z_][\w.-]*:[\w.-]*|[?$]?[A-Za-z_][\w-]*/);
  if (!word || (word.from === word.to && !context.explicit)) return null;
  if (/^[?$]/.test(word.text)) return null;  // a variable: nothing to offer
  const colon = word.text.indexOf(":");
  if (colon >= 0) {  // a prefixed name being written: the terms of that namespace
    const terms = (await loadTerms())[word.text.slice(0, colon)];
    if (!terms) return null;
    return { from: word.from + colon + 1, options: terms, validFor: /^[\w.-]*$/ };
  }
  // A bare word: a keyword, or a prefix of the project (all predeclared by the server), which on
  // choosing goes on to offer that namespace's terms.
  const declared = declaredPrefixes(context.state.doc.toString());
  const options = Object.entries(prefixes).map(([p, ns]) => ({
    label: `${p}:`, type: "namespace", detail: ns + (declared.has(p) ? "" : " (predeclared)"), boost: 1,
    apply: (view, completion, from, to) => {
      view.dispatch({ changes: { from, to, insert: completion.label }, selection: { anchor: from + completion.label.length } });
      window.SckgEditor.startCompletion(view);
    },
  }));
  for (const k of KEYWORDS) options.push({ label: k, type: "keyword" });
  return { from: word.from, options, validFor: /^[A-Za-z_][\w-]*$/ };
}

function createEditor(textarea) {
  const cm = window.SckgEditor;
  const runKey = { key: "Mod-Enter", run: () => { run(); return true; } };
  // CodeMirror writes its base styles as a <style> element when it lives in the document, which the
  // page's CSP (style-src 'self') refuses; in a shadow root it uses a constructed style sheet instead,
  // which the CSP allows. The page's own editor styles come in as a linked file.
  const host = el("div", { id: "editor-host" });
  textarea.after(host);
  const shadow = host.attachShadow({ mode: "open" });
  shadow.append(el("link", { rel: "stylesheet", href: "/static/editor.css" }));
  const view = new cm.EditorView({
    root: shadow, parent: shadow,
    doc: textarea.value,
    extensions: [
      cm.lineNumbers(), cm.history(), cm.drawSelection(), cm.indentOnInput(), cm.bracketMatching(),
      cm.closeBrackets(), cm.highlightActiveLine(), cm.highlightSelectionMatches(),
      cm.StreamLanguage.define(cm.sparql), cm.syntaxHighlighting(cm.defaultHighlightStyle, { fallback: true }),
      cm.autocompletion({ override: [completeSparql], activateOnTyping: true }),
      cm.keymap.of([runKey, ...cm.closeBracketsKeymap, ...cm.defaultKeymap, ...cm.searchKeymap,
                    ...cm.historyKeymap, ...cm.completionKeymap, cm.indentWithTab]),
      cm.EditorView.contentAttributes.of({ id: "query", "aria-label": "SPARQL query" }),
      // Typing over a selection of several lines, Chromium's own editing wraps the text it keeps in
      // style="..." spans, which the CSP refuses (a console error, though CodeMirror redraws anyway):
      // that one case is done by CodeMirror itself instead.
      cm.EditorView.domEventHandlers({
        beforeinput(event, view) {
          if (event.inputType !== "insertText" || !event.data || view.state.selection.main.empty) return false;
          event.preventDefault();
          view.dispatch(view.state.replaceSelection(event.data), { userEvent: "input.type", scrollIntoView: true });
          return true;
        },
      }),
      cm.EditorView.updateListener.of((update) => {
        if (!update.docChanged) return;
        // A user's change that replaces the whole text (select all, then type or paste) is a new query.
        for (const tr of update.transactions) {
          if (!tr.docChanged || !tr.annotation(cm.Transaction.userEvent)) continue;
          tr.changes.iterChangedRanges((fromA, toA) => {
            if (fromA === 0 && toA === tr.startState.doc.length && toA > 0) replaced = true;
          });
        }
        textarea.value = update.state.doc.toString();  // kept in step, as CodeMirror 5's fromTextArea did
        markEdited();
      }),
    ],
  });
  // The text area stays in the page, hidden and kept in step with the editor; it gives its id to the
  // editor's text, so a label, a script or a test finds the query under the same name.
  textarea.removeAttribute("id");
  textarea.id = "query-text";
  textarea.hidden = true;
  document.querySelector("label[for=query]").addEventListener("click", () => view.focus());
  return view;
}
