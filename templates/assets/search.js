// digest search page: queries the Pagefind index built with the site (no request leaves it).
// Result text comes from captured articles, so it is only ever inserted as text nodes.
const PAGE_SIZE = 10;
const form = document.querySelector("form.search-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const moreRow = document.getElementById("search-more-row");
const moreButton = document.getElementById("search-more");

let loading = null;  // the Pagefind engine, once loaded (a promise)
let results = [];
let shown = 0;
let latest = 0;  // number of the newest query: older answers arriving late are dropped

// The index is one bundle per year, newest first: the newest is loaded, the others merged
// into it, so one search covers every year. Loaded once: searches typed while it loads wait
// for the same promise (merging a bundle twice would show its results twice).
function loadPagefind() {
  if (!loading) {
    loading = (async () => {
      const [primary, ...others] = form.dataset.bundles.split(" ").filter(Boolean);
      const engine = await import(primary + "pagefind.js");
      await engine.options({ baseUrl: form.dataset.base, excerptLength: 24 });
      await engine.init();
      for (const bundle of others) await engine.mergeIndex(bundle, { baseUrl: form.dataset.base });
      return engine;
    })();
    loading.catch(() => { loading = null; });  // a later search tries again
  }
  return loading;
}

// Pagefind's excerpt is escaped page text with <mark> around the hits: rebuild it from text.
function appendExcerpt(parent, excerpt) {
  const decoder = document.createElement("textarea");
  excerpt.split(/(<mark>|<\/mark>)/).reduce((marked, part) => {
    if (part === "<mark>") return true;
    if (part === "</mark>") return false;
    decoder.innerHTML = part;
    const text = document.createTextNode(decoder.value);
    if (marked) {
      const mark = document.createElement("mark");
      mark.appendChild(text);
      parent.appendChild(mark);
    } else {
      parent.appendChild(text);
    }
    return marked;
  }, false);
}

function renderResult(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.appendChild(link);
  item.appendChild(heading);
  const meta = [data.meta.source, data.meta.date].filter(Boolean).join(" · ");
  if (meta) {
    const line = document.createElement("p");
    line.className = "card-meta";
    line.textContent = meta;
    item.appendChild(line);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "search-excerpt";
  appendExcerpt(excerpt, data.excerpt || "");
  item.appendChild(excerpt);
  return item;
}

async function showMore(number) {
  const batch = results.slice(shown, shown + PAGE_SIZE);
  const pages = await Promise.all(batch.map((result) => result.data()));
  if (number !== latest) return;
  for (const data of pages) list.appendChild(renderResult(data));
  shown += batch.length;
  moreRow.hidden = shown >= results.length;
}

async function search(query) {
  const number = ++latest;
  const words = query.trim();
  if (!words) {
    results = [];
    shown = 0;
    list.replaceChildren();
    moreRow.hidden = true;
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  const engine = await loadPagefind();
  const answer = await engine.search(words);
  if (number !== latest) return;
  results = answer.results;
  shown = 0;
  list.replaceChildren();
  status.textContent = results.length === 0
    ? `No article matches “${words}”.`
    : results.length === 1
      ? `1 article matches “${words}”.`
      : `${results.length} articles match “${words}”.`;
  await showMore(number);
}

function remember(query) {
  const url = new URL(window.location.href);
  if (query.trim()) url.searchParams.set("q", query.trim());
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

function report(error) {
  status.textContent = "Search is not available right now: the index could not be loaded.";
  console.warn("digest search:", error);
}

let timer = 0;
input.addEventListener("input", () => {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => search(input.value).catch(report), 200);
});
form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(timer);
  remember(input.value);
  search(input.value).catch(report);
});
moreButton.addEventListener("click", () => showMore(latest).catch(report));

const initial = new URLSearchParams(window.location.search).get("q") || "";
if (initial) {
  input.value = initial;
  search(initial).catch(report);
}
