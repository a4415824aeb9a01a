// The search page only: the words through Pagefind's index, the filters through the values
// the build wrote into the page (#search-facets), results as plain links. Every other page
// works without a script; this one says so in <noscript>.
const root = new URL("../", import.meta.url);
const form = document.getElementById("search-form");
const words = document.getElementById("search-words");
const choices = {
  story: document.getElementById("search-story"),
  status: document.getElementById("search-status"),
  actor: document.getElementById("search-actor"),
};
const summary = document.getElementById("search-summary");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const facets = JSON.parse(document.getElementById("search-facets").textContent);
const byUrl = new Map(facets.map((page) => [page.url, page]));
const STEP = 10; // results shown at a time: each loads its own small part of the index

let loading = null; // Pagefind, loaded on the first search for words, not before
let turn = 0; // a newer search makes an older one's late answers moot
let shown = STEP;

// The index comes in shards (the build's search.shards): the first has the scripts, the
// others are merged into it.
const [first, ...others] = JSON.parse(document.getElementById("search-indexes").textContent)
  .map((folder) => new URL(folder, root));

function engine() {
  loading ??= (async () => {
    const pagefind = await import(new URL("pagefind.js", first).href);
    // Result addresses under the site's own path, also on a GitHub project site.
    await pagefind.options({ baseUrl: root.pathname });
    await Promise.all(others.map((shard) => pagefind.mergeIndex(shard.pathname,
      { baseUrl: root.pathname })));
    return pagefind;
  })();
  return loading;
}

function wanted(page) {
  const { story, status, actor } = Object.fromEntries(
    Object.entries(choices).map(([name, select]) => [name, select.value]));
  return (!story || page.story === story) && (!status || page.statuses.includes(status))
    && (!actor || page.actors.includes(actor));
}

function filtering() {
  return Object.values(choices).some((select) => select.value);
}

// Pagefind's excerpt is HTML with <mark> around the words found: only its text and its
// marks are kept, so nothing in an indexed page can become markup here.
function excerpt(html) {
  const p = document.createElement("p");
  const parsed = new DOMParser().parseFromString(html, "text/html").body;
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function item(page, found) {
  const li = document.createElement("li");
  const link = document.createElement("a");
  link.href = new URL(page.url, root).href;
  link.textContent = page.title;
  const heading = document.createElement("h2");
  heading.append(link);
  const when = document.createElement("p");
  when.className = "search-when";
  const time = document.createElement("time");
  time.dateTime = page.date;
  time.textContent = page.day;
  const story = [...choices.story.options].find((o) => o.value && o.value === page.story);
  when.append(time, story ? ` · ${story.textContent}` : "");
  li.append(heading, when);
  if (found) {
    li.append(excerpt(found.excerpt));
    const sections = (found.sub_results || []).filter((s) => s.url !== found.url).slice(0, 3);
    if (sections.length) {
      const inner = document.createElement("ul");
      for (const section of sections) {
        const a = document.createElement("a");
        a.href = new URL(section.url, window.location.href).href;
        a.textContent = section.title;
        const entry = document.createElement("li");
        entry.append(a, excerpt(section.excerpt));
        inner.append(entry);
      }
      li.append(inner);
    }
  }
  return li;
}

// The words' results in Pagefind's order, only those the filters keep, until `shown` are
// found: each result's page and excerpt are loaded as it is looked at.
async function matching(results, mine) {
  const kept = [];
  let looked = 0;
  while (looked < results.length && kept.length < shown) {
    const batch = await Promise.all(results.slice(looked, looked + STEP).map((r) => r.data()));
    if (mine !== turn) return null;
    looked += batch.length;
    for (const found of batch) {
      const page = byUrl.get(found.url.slice(root.pathname.length).replace(/index\.html$/, ""));
      if (page && wanted(page)) kept.push({ page, found });
    }
  }
  return { kept: kept.slice(0, shown), more: kept.length > shown || looked < results.length };
}

function remember(query) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [name, select] of Object.entries(choices)) {
    if (select.value) params.set(name, select.value);
  }
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : window.location.pathname);
}

function plural(count, one) {
  return `${count} ${one}${count === 1 ? "" : "s"}`;
}

async function run() {
  const mine = ++turn;
  const query = words.value.trim();
  remember(query);
  let rows;
  let hasMore = false;
  if (!query) {
    const pages = filtering() ? facets.filter(wanted) : [];
    rows = pages.slice(0, shown).map((page) => ({ page }));
    hasMore = pages.length > shown;
    summary.textContent = filtering()
      ? `${plural(pages.length, "explainer")} ${pages.length === 1 ? "fits" : "fit"} the filters.`
      : "";
  } else {
    summary.textContent = "Searching…";
    const found = await (await engine()).search(query);
    if (mine !== turn) return;
    const result = await matching(found.results, mine);
    if (result === null) return;
    rows = result.kept;
    hasMore = result.more;
    const scope = filtering() ? ` that ${rows.length === 1 ? "fits" : "fit"} the filters` : "";
    summary.textContent = rows.length
      ? `${hasMore ? "The first " : ""}${plural(rows.length, "explainer")} with “${query}”${scope}.`
      : `No explainer with “${query}”${scope}.`;
  }
  list.replaceChildren(...rows.map(({ page, found }) => item(page, found)));
  more.hidden = !hasMore;
}

let pause = null;
function soon() {
  shown = STEP;
  clearTimeout(pause);
  pause = setTimeout(run, 250);
}

const asked = new URLSearchParams(window.location.search);
words.value = asked.get("q") || "";
for (const [name, select] of Object.entries(choices)) {
  const value = asked.get(name);
  if (value && [...select.options].some((o) => o.value === value)) select.value = value;
}
form.hidden = false;
form.addEventListener("submit", (event) => {
  event.preventDefault();
  shown = STEP;
  run();
});
words.addEventListener("input", soon);
for (const select of Object.values(choices)) {
  select.addEventListener("change", () => {
    shown = STEP;
    run();
  });
}
more.addEventListener("click", () => {
  shown += STEP;
  run();
});
if (words.value || filtering()) run();
