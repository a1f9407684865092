// <izde-search>: Izde's search box for partner sites. Plain JavaScript, no build step, no dependencies.
//
//   <script src="https://IZDE-HOST/embed.js" type="module"></script>
//   <izde-search lang="ky" section="…" year="…" language="…" kind="…" results="5"></izde-search>
//
// Everything lives in the element's shadow root, so the host page's CSS cannot reach it and its CSS cannot leak
// out; it is themed through CSS custom properties (--izde-accent, --izde-font, --izde-radius, --izde-bg, --izde-fg,
// --izde-muted, --izde-border, --izde-mark) and ::part()s. What comes from the API is only ever put into the page
// as text (textContent, DOM nodes): never as HTML. No cookies, no storage; it talks only to the Izde it came from.

const ORIGIN = new URL(import.meta.url).origin;
const DEBOUNCE_MS = 200;
const TIMEOUT_MS = 8000;

const TEXT = {
  ky: {
    label: "«Муниципалитет» архивинен издөө", placeholder: "Издөө…", button: "Издөө",
    all: "Бардык жыйынтыктар Izde'де", found: (n) => `Табылды: ${n}`, none: "Эч нерсе табылган жок",
    error: "Издөө азыр иштебей жатат. Бир аздан кийин кайталаңыз.", slow: "Издөө узакка созулууда…",
    suggestions: "Сунуштар", results: "Жыйынтыктар", issue: "№",
  },
  ru: {
    label: "Поиск по архиву «Муниципалитета»", placeholder: "Поиск…", button: "Найти",
    all: "Все результаты на Izde", found: (n) => `Найдено: ${n}`, none: "Ничего не найдено",
    error: "Поиск сейчас недоступен. Попробуйте чуть позже.", slow: "Поиск занимает больше времени…",
    suggestions: "Подсказки", results: "Результаты", issue: "№",
  },
  en: {
    label: "Search the «Municipalitet» archive", placeholder: "Search…", button: "Search",
    all: "All results on Izde", found: (n) => `Found: ${n}`, none: "Nothing found",
    error: "Search is not available right now. Please try again shortly.", slow: "The search is taking longer…",
    suggestions: "Suggestions", results: "Results", issue: "No.",
  },
};

const CSS = `
:host { display: block; contain: content; }
:host([hidden]) { display: none; }
:host { --izde-accent: #0b5cad; --izde-bg: #fff; --izde-fg: #1b1b1b; --izde-muted: #5a5a5a; --izde-border: #b8b8b8;
  --izde-mark: #fff0a0; --izde-radius: 6px; --izde-font: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
:host([theme="dark"]) { --izde-accent: #7ab8ff; --izde-bg: #1d1f21; --izde-fg: #ececec; --izde-muted: #b0b0b0;
  --izde-border: #555; --izde-mark: #6b5a00; }
*, *::before, *::after { box-sizing: border-box; }
.box { all: initial; display: block; position: relative; max-width: 40rem; font: 15px/1.45 var(--izde-font);
  color: var(--izde-fg); text-align: start; }
form { display: flex; gap: .4rem; margin: 0; }
input { flex: 1 1 auto; min-width: 0; margin: 0; padding: .5rem .65rem; font: inherit; color: var(--izde-fg);
  background: var(--izde-bg); border: 1px solid var(--izde-border); border-radius: var(--izde-radius); }
button { flex: 0 0 auto; margin: 0; padding: .5rem .9rem; font: inherit; color: var(--izde-bg); cursor: pointer;
  background: var(--izde-accent); border: 1px solid var(--izde-accent); border-radius: var(--izde-radius); }
input:focus-visible, button:focus-visible, a:focus-visible { outline: 3px solid var(--izde-accent);
  outline-offset: 2px; }
.status { display: block; min-height: 1.2em; margin: .3rem 0 0; font-size: .85em; color: var(--izde-muted); }
ul { display: block; list-style: none; margin: .3rem 0 0; padding: .25rem; background: var(--izde-bg);
  border: 1px solid var(--izde-border); border-radius: var(--izde-radius); }
ul[hidden] { display: none; }
li { display: block; margin: 0; padding: .45rem .55rem; border-radius: calc(var(--izde-radius) - 2px); cursor: pointer;
  overflow-wrap: anywhere; }
li.group { padding: .25rem .55rem 0; font-size: .75em; font-weight: 600; text-transform: uppercase; cursor: default;
  color: var(--izde-muted); letter-spacing: .04em; }
li[aria-selected="true"] { outline: 2px solid var(--izde-accent); outline-offset: -2px; }
li a { display: block; color: var(--izde-fg); text-decoration: none; }
.title { display: block; font-weight: 600; color: var(--izde-accent); }
.meta { display: block; font-size: .82em; color: var(--izde-muted); }
.snippet { display: block; font-size: .9em; }
mark { background: var(--izde-mark); color: inherit; padding: 0 .1em; border-radius: 2px; }
.more { display: inline-block; margin: .35rem .55rem .2rem; font-size: .9em; color: var(--izde-accent); }
`;

let sheet = null; // one constructed style sheet shared by every box on the page

function styles(root) {
  if ("adoptedStyleSheets" in root && typeof CSSStyleSheet === "function") {
    try {
      sheet = sheet || new CSSStyleSheet();
      if (!sheet.cssRules.length) sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
      return;
    } catch (e) { /* an older browser: fall back to a <style> element */ }
  }
  const style = document.createElement("style");
  style.textContent = CSS;
  root.appendChild(style);
}

function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

let boxes = 0;

class IzdeSearch extends HTMLElement {
  static get observedAttributes() { return ["lang", "placeholder"]; }

  constructor() {
    super();
    this.n = ++boxes;
    this.timer = null;
    this.request = null;
    this.sequence = 0;
    this.options = [];
    this.active = -1;
    const root = this.attachShadow({ mode: "open" });
    styles(root);
    this.input = el("input", {
      part: "input", type: "search", role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false",
      "aria-controls": "izde-list", autocomplete: "off", spellcheck: "false", enterkeyhint: "search",
    });
    this.button = el("button", { part: "button", type: "submit" });
    this.form = el("form", { part: "form", role: "search" }, this.input, this.button);
    this.status = el("div", { part: "status", class: "status", role: "status", "aria-live": "polite" });
    this.list = el("ul", { part: "listbox", role: "listbox", id: "izde-list", hidden: "" });
    root.append(el("div", { part: "container", class: "box" }, this.form, this.status, this.list));
    this.input.addEventListener("input", () => this.typed());
    this.input.addEventListener("keydown", (event) => this.key(event));
    this.input.addEventListener("blur", () => setTimeout(() => {
      if (!this.shadowRoot.activeElement) this.close();
    }, 150));
    this.form.addEventListener("submit", (event) => { event.preventDefault(); this.enter(); });
    this.list.addEventListener("mousedown", (event) => event.preventDefault()); // keep the focus in the input
    this.list.addEventListener("click", (event) => {
      const option = event.target.closest("li[role=option]");
      if (option) this.choose(this.options.indexOf(option), event);
    });
  }

  connectedCallback() { this.label(); }

  attributeChangedCallback() { this.label(); }

  get text() {
    const wanted = [this.getAttribute("lang"), document.documentElement.lang, "ky"];
    const code = wanted.map((l) => (l || "").slice(0, 2).toLowerCase()).find((l) => TEXT[l]);
    return TEXT[code];
  }

  label() {
    const t = this.text;
    this.input.setAttribute("aria-label", t.label);
    this.input.placeholder = this.getAttribute("placeholder") || t.placeholder;
    this.button.textContent = t.button;
    this.list.setAttribute("aria-label", t.results);
  }

  get size() {
    const n = parseInt(this.getAttribute("results") || "5", 10);
    return Math.min(Math.max(Number.isFinite(n) ? n : 5, 1), 10);
  }

  // The preset filters, as Izde's search URL spells them.
  params(q) {
    const params = new URLSearchParams({ q });
    for (const name of ["section", "year", "language", "kind"]) {
      for (const value of (this.getAttribute(name) || "").split(",")) if (value.trim()) params.append(name, value.trim());
    }
    return params;
  }

  izdeUrl(q) {
    const params = this.params(q);
    params.set("lang", Object.keys(TEXT).find((k) => TEXT[k] === this.text));
    return `${ORIGIN}/search?${params}`;
  }

  typed() {
    clearTimeout(this.timer);
    const q = this.input.value.trim();
    if (q.length < 2) { this.abort(); this.close(); this.say(""); return; }
    this.timer = setTimeout(() => this.run(q), DEBOUNCE_MS);
  }

  abort() {
    this.sequence++;
    if (this.request) this.request.abort();
    this.request = null;
  }

  async fetchJson(path, signal) {
    const response = await fetch(`${ORIGIN}${path}`, { signal, credentials: "omit", mode: "cors" });
    if (!response.ok) throw new Error(String(response.status));
    return response.json();
  }

  async run(q) {
    this.abort();
    const sequence = this.sequence;
    const request = this.request = new AbortController();
    const slow = setTimeout(() => this.say(this.text.slow), TIMEOUT_MS / 4);
    const timeout = setTimeout(() => request.abort(), TIMEOUT_MS);
    const inline = this.getAttribute("target") !== "izde";
    try {
      const [suggestions, found] = await Promise.all([
        this.fetchJson(`/api/suggest?${new URLSearchParams({ q })}`, request.signal).catch(() => []),
        inline ? this.fetchJson(`/api/search?${this.params(q)}&size=${this.size}`, request.signal) : null,
      ]);
      if (sequence !== this.sequence) return; // a newer query has been typed
      this.render(q, suggestions, found);
    } catch (error) {
      if (sequence !== this.sequence) return;
      this.close();
      this.say(this.text.error);
    } finally {
      clearTimeout(slow);
      clearTimeout(timeout);
    }
  }

  say(message) { this.status.textContent = message; }

  render(q, suggestions, found) {
    const t = this.text;
    this.list.textContent = "";
    this.options = [];
    const words = suggestions.filter((s) => s.text.toLowerCase() !== q.toLowerCase()).slice(0, 4);
    if (words.length) {
      this.list.append(el("li", { role: "presentation", class: "group", text: t.suggestions }));
      for (const s of words) {
        // A word searches; an article's title opens the article.
        const target = s.kind === "title" && s.id ? { "data-url": `${ORIGIN}/a/${encodeURIComponent(s.id)}` }
          : { "data-query": s.text };
        this.add(el("li", { part: "suggestion", ...target, text: s.text }));
      }
    }
    if (found) {
      if (found.hits.length) this.list.append(el("li", { role: "presentation", class: "group", text: t.results }));
      for (const hit of found.hits) this.add(this.result(hit));
      const more = el("a", { part: "more", class: "more", href: this.izdeUrl(q), text: `${t.all} →` });
      this.list.append(el("li", { role: "presentation" }, more));
      this.say(found.total ? t.found(found.total) : t.none);
    }
    this.active = -1;
    this.input.removeAttribute("aria-activedescendant");
    if (this.options.length || found) this.open(); else this.close();
  }

  result(hit) {
    const t = this.text;
    const meta = [hit.date ? hit.date.slice(0, 10) : "", hit.issue ? `${t.issue}${hit.issue}` : "", hit.section || ""]
      .filter(Boolean).join(" · ");
    const snippet = el("span", { part: "snippet", class: "snippet" });
    for (const piece of hit.snippet_parts || []) {
      snippet.append(piece.match ? el("mark", { part: "match", text: piece.text }) : document.createTextNode(piece.text));
    }
    const link = el("a", { href: hit.url, tabindex: "-1" },
      el("span", { part: "title", class: "title", text: hit.title }),
      meta ? el("span", { part: "meta", class: "meta", text: meta }) : null, snippet);
    return el("li", { part: "result" }, link);
  }

  add(option) {
    option.setAttribute("role", "option");
    option.setAttribute("aria-selected", "false");
    option.id = `izde-option-${this.options.length}`;
    this.options.push(option);
    this.list.append(option);
  }

  open() { this.list.hidden = false; this.input.setAttribute("aria-expanded", "true"); }

  close() {
    this.list.hidden = true;
    this.input.setAttribute("aria-expanded", "false");
    this.input.removeAttribute("aria-activedescendant");
    this.active = -1;
  }

  move(step) {
    if (!this.options.length) return;
    if (this.list.hidden) this.open();
    if (this.active >= 0) this.options[this.active].setAttribute("aria-selected", "false");
    const n = this.options.length;
    this.active = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
    const option = this.options[this.active];
    option.setAttribute("aria-selected", "true");
    this.input.setAttribute("aria-activedescendant", option.id);
    option.scrollIntoView({ block: "nearest" });
  }

  key(event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      this.move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Escape") {
      if (!this.list.hidden) { event.preventDefault(); this.close(); } else if (this.input.value) {
        event.preventDefault();
        this.input.value = "";
        this.abort();
        this.say("");
      }
    } else if (event.key === "Tab") {
      this.close();
    }
  }

  enter() {
    if (!this.list.hidden && this.active >= 0) { this.choose(this.active); return; }
    this.submit(this.input.value.trim());
  }

  // Search now: in place, or (target="izde") on Izde itself.
  submit(q) {
    if (!q) return;
    clearTimeout(this.timer);
    if (this.getAttribute("target") === "izde") { window.location.assign(this.izdeUrl(q)); return; }
    this.run(q);
  }

  choose(index, event) {
    const option = this.options[index];
    if (!option) return;
    if (option.dataset.url) { window.location.assign(option.dataset.url); return; } // a title: its article
    if (option.dataset.query) { // a word: search it
      if (event) event.preventDefault();
      this.input.value = option.dataset.query;
      this.input.focus();
      this.close();
      this.submit(option.dataset.query);
      return;
    }
    const link = option.querySelector("a");
    if (link && !event) window.location.assign(link.href); // Enter on a result; a click follows the link itself
  }
}

if (!customElements.get("izde-search")) customElements.define("izde-search", IzdeSearch);

export { IzdeSearch };
