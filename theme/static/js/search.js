// Search page: Pagefind in the browser, made to understand Vietnamese as the index does
// (bantin/search.py): tones placed the new way, then each word in ASCII with a code of
// its marks ("Công" → "Congzbcz"); Pagefind matches the beginning of words, so the
// letters alone ("cong") find every spelling. The page state lives
// in the URL (?q=…&nam=2020), so a search can be bookmarked, shared and gone back to.
// Filter counts need Pagefind's filter files (about 230 KB at 10,000 articles): they are
// loaded when the reader asks for them, or for the filters a search already uses.
// The index is a base and a delta of the articles changed since (plugins/search/index.py):
// the base's results for articles the delta replaced or removed are hidden, and taken out
// of the filter counts.

const root = document.getElementById("tim-kiem");
const strings = JSON.parse(root.dataset.strings);
const form = root.querySelector(".bt-search__form");
const input = root.querySelector(".bt-search__input");
const status = root.querySelector(".bt-search__status");
const filtersBox = root.querySelector(".bt-search__filters");
const resultsList = root.querySelector(".bt-search__results");
const FILTER_KEYS = ["loai", "nam", "to_chuc", "nguoi", "phong_vien"];
// A search by filters alone looks up the word of one of its values (bantin/search.py
// filter_word), of the filter whose values are usually on fewest articles.
const FEWEST_ARTICLES_FIRST = ["nguoi", "phong_vien", "to_chuc", "nam", "loai"];
const PAGE_SIZE = 10;
// Counts written as the page's language writes numbers ("7.326" in Vietnamese).
const number = (count) => count.toLocaleString(document.documentElement.lang);
const SHOWN_VALUES = 8;

// --- Vietnamese text, as in bantin/vietnamese.py -------------------------------------
const TONE_MARKS = new Set(["\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]);
const VOWELS = new Set("aăâeêioôơuưy");
const MARKED_VOWELS = new Set("ăâêôơư");
const FINALS = new Set(["", "c", "ch", "m", "n", "ng", "nh", "p", "t"]);
const SECOND_LETTER_NUCLEI = new Set(["oa", "oe", "uy"]);

function splitTone(letter) {
  let base = "";
  let tone = "";
  for (const ch of letter.normalize("NFD")) {
    if (TONE_MARKS.has(ch)) tone += ch;
    else base += ch;
  }
  return [base.normalize("NFC"), tone];
}

function tonePosition(bare) {
  let onsetEnd = 0;
  while (onsetEnd < bare.length && !VOWELS.has(bare[onsetEnd])) onsetEnd += 1;
  const onset = bare.slice(0, onsetEnd);
  const next = bare[onsetEnd] || "";
  const after = bare[onsetEnd + 1] || "";
  if ((onset === "q" && next === "u") || (onset === "g" && next === "i" && VOWELS.has(after))) onsetEnd += 1;
  let nucleusEnd = onsetEnd;
  while (nucleusEnd < bare.length && VOWELS.has(bare[nucleusEnd])) nucleusEnd += 1;
  const nucleus = bare.slice(onsetEnd, nucleusEnd);
  const final = bare.slice(nucleusEnd);
  if (!nucleus || !FINALS.has(final) || nucleus.length > 3) return null;
  const marked = [...nucleus].map((letter, i) => (MARKED_VOWELS.has(letter) ? i : -1)).filter((i) => i >= 0);
  let offset;
  if (marked.length) offset = marked[marked.length - 1];
  else if (nucleus.length === 1) offset = 0;
  else if (nucleus.length === 3) offset = 1;
  else offset = final || SECOND_LETTER_NUCLEI.has(nucleus) ? 1 : 0;
  return onsetEnd + offset;
}

function placeWordTone(word) {
  const letters = [...word].map(splitTone);
  const tones = letters.map(([, tone]) => tone).filter(Boolean);
  if (tones.length !== 1) return word;
  const bases = letters.map(([base]) => base);
  const position = tonePosition(bases.join("").toLowerCase());
  if (position === null) return word;
  bases[position] = (bases[position] + tones[0]).normalize("NFC");
  return bases.join("");
}

const MARK_CODES = {
  "\u0302": "c",
  "\u0306": "w",
  "\u031b": "w",
  "\u0301": "s",
  "\u0300": "f",
  "\u0309": "r",
  "\u0303": "x",
  "\u0323": "j",
};
// "w" is a breve on "a" and a horn on "o" and "u"; "d" turns "d" into "đ".
const MARKS = Object.fromEntries(
  Object.entries(MARK_CODES)
    .filter(([, code]) => code !== "w")
    .map(([mark, code]) => [code, mark]),
);
const WORD = /[\p{L}\p{N}_]+/gu;
const DIGITS = "abeghiklmn"; // a position's digits 0-9, as letters
const MARKED_LETTER = new RegExp(`([${DIGITS}]+)([cwsfrxjd]+)`, "gi"); // a position, its marks
const CODED = new RegExp(`^([A-Za-z]+)z((?:${MARKED_LETTER.source})+)z$`, "i");
const position = (index) => [...String(index)].map((digit) => DIGITS[digit]).join("");
const indexFrom = (letters) => Number([...letters.toLowerCase()].map((letter) => DIGITS.indexOf(letter)).join(""));
// A word's letters and the code of its marks, in capitals after a capital.
const withCode = (letters, marks) => {
  const code = `z${marks}z`;
  return letters + (/[A-Z]$/.test(letters) ? code.toUpperCase() : code);
};

// A word (NFC, tone placed) as the index holds it.
function indexWord(word) {
  const letters = [];
  let marks = "";
  for (const letter of word) {
    if (letter === "đ" || letter === "Đ") {
      marks += `${position(letters.length)}d`;
      letters.push(letter === "đ" ? "d" : "D");
      continue;
    }
    const [base, ...combining] = letter.normalize("NFD");
    const codes = combining.map((mark) => MARK_CODES[mark]);
    if (codes.includes(undefined) || base > "\u007f") return word;
    if (codes.length) marks += `${position(letters.length)}${codes.join("")}`;
    letters.push(base);
  }
  return marks ? withCode(letters.join(""), marks) : word;
}

// An indexed word spelled with its marks again: indexWord reversed.
function spelled(word) {
  const coded = CODED.exec(word);
  if (!coded) return word;
  const letters = [...coded[1]];
  for (const [, place, codes] of coded[2].matchAll(MARKED_LETTER)) {
    const index = indexFrom(place);
    if (index >= letters.length) return word;
    for (const code of codes.toLowerCase()) {
      const letter = letters[index];
      if (code === "d") letters[index] = { d: "đ", D: "Đ" }[letter] || letter;
      else if (code === "w") letters[index] += /^[aA]/.test(letter) ? "\u0306" : "\u031b";
      else letters[index] += MARKS[code];
    }
  }
  return letters.join("").normalize("NFC");
}

// Two adjacent words as the index's one term for the pair (bantin/search.py, pair_word):
// "zz", both words' letters, the code of both words' marks.
const PAIR_START = "zz";
const PAIRABLE = new RegExp(`^([a-z]+?)(?:z((?:${MARKED_LETTER.source})+)z)?$`);

function pairWord(first, second) {
  const one = PAIRABLE.exec(first.toLowerCase());
  const two = PAIRABLE.exec(second.toLowerCase());
  if (!one || !two || first.toLowerCase().startsWith(PAIR_START)) return null;
  const shift = one[1].length;
  const moved = [...(two[2] || "").matchAll(MARKED_LETTER)].map(([, place, codes]) => `${position(indexFrom(place) + shift)}${codes}`);
  const letters = `${PAIR_START}${one[1]}${two[1]}`;
  const marks = (one[2] || "") + moved.join("");
  return marks ? withCode(letters, marks) : letters;
}

// Each word with the next, as pair terms; null unless every pair can be made.
function pairsOf(words) {
  if (words.length < 2) return null;
  const pairs = words.slice(1).map((word, i) => pairWord(words[i], word));
  return pairs.includes(null) ? null : pairs;
}

// The query as Pagefind is asked it: each word coded (exact), or its letters alone; and
// as pairs of adjacent words, when it is words alone or one quoted phrase.
function queryForms(query) {
  const text = query.normalize("NFC").replace(/[“”]/g, '"');
  const exact = text.replace(WORD, (word) => indexWord(placeWordTone(word)));
  const letters = exact.replace(WORD, (word) => CODED.exec(word)?.[1] || word);
  const phrase = /"[^"]*\p{L}/u.test(text);
  const pairable = !text.includes('"') || /^\s*"[^"]*"\s*$/.test(text);
  const pairs = pairable && pairsOf(exact.match(WORD) || []);
  return {
    exact,
    letters,
    marked: exact !== letters,
    phrase,
    pairs: pairs && { exact: pairs, letters: pairsOf(letters.match(WORD)) },
  };
}

// What a result shows travels in Braille patterns, which Pagefind does not index
// (bantin/search.py).
function unsearchable(value) {
  const bytes = Uint8Array.from(value, (ch) => ch.codePointAt(0) - 0x2800);
  return JSON.parse(new TextDecoder().decode(bytes));
}

// --- State in the URL ----------------------------------------------------------------
function readState() {
  const params = new URLSearchParams(location.search);
  const filters = {};
  for (const key of FILTER_KEYS) {
    const values = params.getAll(key);
    if (values.length) filters[key] = values;
  }
  return {
    q: params.get("q") || "",
    sort: params.get("sap_xep") === "moi" ? "moi" : "",
    apart: params.get("tach") === "1",
    filters,
  };
}

function writeState(state, push) {
  const params = new URLSearchParams();
  if (state.q) params.set("q", state.q);
  if (state.sort) params.set("sap_xep", state.sort);
  if (state.apart) params.set("tach", "1");
  for (const [key, values] of Object.entries(state.filters)) for (const value of values) params.append(key, value);
  const url = `${location.pathname}${params.toString() ? `?${params}` : ""}`;
  if (url !== `${location.pathname}${location.search}`) history[push ? "pushState" : "replaceState"](null, "", url);
}

// --- Rendering -----------------------------------------------------------------------
function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

// The words every document starts with, those of its filter values, are no part of the
// article.
const LOOKED_UP_WORDS = /^((<mark>)?00\d{10}(<\/mark>)?[.\s]*)+/;

// The excerpt comes from the indexed text; each word is spelled back, as the editor
// wrote it. Built node by node: nothing from the index is parsed as markup.
function excerptNodes(excerpt, words, together) {
  const article = excerpt.replace(LOOKED_UP_WORDS, "");
  const parsed = new DOMParser().parseFromString(`<p>${article}</p>`, "text/html").body.firstChild;
  // A pair is found at its first word: the word after it is marked too.
  if (together) {
    for (const mark of [...parsed.querySelectorAll("mark")]) {
      const next = mark.nextSibling;
      const word = next?.nodeType === Node.TEXT_NODE && /^(\s+)([\p{L}\p{N}_]+)/u.exec(next.textContent);
      if (!word) continue;
      next.textContent = next.textContent.slice(word[0].length);
      const second = parsed.ownerDocument.createElement("mark");
      second.textContent = word[2];
      mark.after(word[1], second);
    }
  }
  const restore = (text) => text.replace(WORD, (word) => words[word] || spelled(word));
  const paragraph = element("p", "bt-result__excerpt");
  for (const node of parsed.childNodes) {
    if (node.nodeName === "MARK") paragraph.append(element("mark", "", restore(node.textContent)));
    else paragraph.append(document.createTextNode(restore(node.textContent)));
  }
  return paragraph;
}

// A result as the index shows it (bantin/search.py, result_card): a search by
// words shows an excerpt around them; one by filters alone, which has none, the lead.
function resultItem(url, card, excerpt) {
  const item = element("li", "bt-result");
  if (card.image) {
    const image = element("img", "bt-result__image");
    image.src = card.image.startsWith("/") ? card.image : `/${card.image}`;
    image.alt = "";
    image.loading = "lazy";
    item.append(image);
  }
  const body = element("div", "bt-result__body");
  const heading = element("h2", "bt-result__title");
  const link = element("a", "", card.title);
  link.href = url;
  heading.append(link);
  body.append(heading, element("p", "bt-result__meta", `${card.date} · ${card.kind}`));
  body.append(excerpt || element("p", "bt-result__excerpt", card.lead));
  item.append(body);
  return item;
}

function foundItem(data, withWords, together) {
  const card = unsearchable(data.meta.result);
  return resultItem(data.url, card, withWords && excerptNodes(data.excerpt, card.words, together));
}

// The newest results of a search by one filter value alone, as the build wrote them
// (plugins/search/first_results.py): shown while Pagefind starts. Null for other searches.
function firstResults(state) {
  const chosen = Object.entries(state.filters).flatMap(([key, values]) => values.map((value) => [key, value]));
  if (state.q.trim() || chosen.length !== 1) return null;
  return fetch(`${root.dataset.firstResults}${filterWord(...chosen[0])}.json`)
    .then((response) => (response.ok ? response.json() : null))
    .catch(() => null);
}

function filterGroups(state, counts, onChange, loadCounts) {
  filtersBox.replaceChildren();
  filtersBox.append(element("h2", "bt-search__filters-title", strings.filters));
  const order = element("label", "bt-search__order", `${strings.sort} `);
  const select = element("select", "bt-search__select");
  for (const [value, label] of [["", strings.relevance], ["moi", strings.newest]]) {
    const option = element("option", "", label);
    option.value = value;
    option.selected = state.sort === value;
    select.append(option);
  }
  select.addEventListener("change", () => onChange({ ...state, sort: select.value }));
  order.append(select);
  filtersBox.append(order);
  const keys = FILTER_KEYS.filter((key) => counts[key] && Object.keys(counts[key]).length);
  for (const key of keys) {
    const chosen = new Set(state.filters[key] || []);
    const entries = Object.entries(counts[key]).filter(([value, count]) => count > 0 || chosen.has(value));
    entries.sort(key === "nam" ? (a, b) => b[0].localeCompare(a[0]) : (a, b) => b[1] - a[1] || a[0].localeCompare(b[0], "vi"));
    const shown = entries.filter(([value], index) => index < SHOWN_VALUES || chosen.has(value));
    if (!shown.length) continue;
    const group = element("fieldset", "bt-search__group");
    group.append(element("legend", "", strings[key]));
    for (const [value, count] of shown) {
      const label = element("label", "bt-search__option");
      const box = element("input");
      box.type = "checkbox";
      box.checked = chosen.has(value);
      box.addEventListener("change", () => {
        const values = new Set(state.filters[key] || []);
        box.checked ? values.add(value) : values.delete(value);
        const filters = { ...state.filters, [key]: [...values] };
        if (!values.size) delete filters[key];
        onChange({ ...state, filters });
      });
      label.append(box, ` ${value} (${number(count)})`);
      group.append(label);
    }
    filtersBox.append(group);
  }
  if (Object.keys(state.filters).length) {
    const clear = element("button", "bt-search__clear", strings.clear);
    clear.type = "button";
    clear.addEventListener("click", () => onChange({ ...state, filters: {} }));
    filtersBox.append(clear);
  }
  if (loadCounts) {
    const more = element("button", "bt-search__show-filters", strings.filters);
    more.type = "button";
    more.addEventListener("click", loadCounts);
    filtersBox.append(more);
  }
}

// --- Base and delta ------------------------------------------------------------------
// Counts without those of the hidden documents, given as {page id: {filter: [values]}}.
function countsWithout(counts, hiddenDocuments) {
  const corrected = Object.fromEntries(Object.entries(counts).map(([key, values]) => [key, { ...values }]));
  for (const filters of hiddenDocuments) {
    for (const [key, values] of Object.entries(filters)) {
      for (const value of values) if (corrected[key]?.[value]) corrected[key][value] -= 1;
    }
  }
  return corrected;
}

async function openIndex() {
  const indexUrl = new URL(root.dataset.pagefind, location.href);
  const [pagefind, delta] = await Promise.all([
    import(root.dataset.pagefind),
    fetch(new URL("delta.json", indexUrl)).then((response) => response.json()),
  ]);
  const options = { excerptLength: 30 };
  await pagefind.options(options);
  if (delta.index) await pagefind.mergeIndex(new URL(delta.index, indexUrl).pathname, options);
  // Loaded while the reader types: what every search needs first (the index's list of
  // pages and chunks, Pagefind's WebAssembly), so that results follow the last keystroke.
  await pagefind.init();
  const hidden = new Map(Object.entries(delta.hidden || {}));
  const dateRanks = delta.date_ranks || {};
  return {
    options: (values) => pagefind.options(values),
    filters: async () => countsWithout(await pagefind.filters(), hidden.values()),
    async search(words, options) {
      const search = await pagefind.search(words, options);
      if (!search) return search;
      const hiddenResults = search.results.filter((result) => hidden.has(result.id));
      const filters = countsWithout(search.filters, hiddenResults.map((result) => hidden.get(result.id)));
      const shown = search.results.filter((result) => !hidden.has(result.id));
      return { results: comparableScores(shown, search.results, options.sort), filters };
    },
  };

  // Pagefind orders the merged results by score, but scores each index on its own: a
  // result sorted by date has its rank among its index's documents, and a relevance
  // score weighs each word by how rare it is among them (its IDF). Delta results get
  // the rank their date has in the base, and their relevance is weighed by the base's
  // rarity of the query, counted over all its words at once.
  function comparableScores(results, everyResult, sort) {
    const inDelta = (result) => result.id in dateRanks;
    if (!results.some(inDelta)) return results;
    const rarity = (documents, matching) => Math.log(1 + (documents - matching + 0.5) / (matching + 0.5));
    const deltaMatches = everyResult.filter(inDelta).length;
    const weight =
      rarity(delta.documents.base, everyResult.length - deltaMatches) / rarity(delta.documents.delta, deltaMatches);
    const rescored = results.map((result) => {
      if (!inDelta(result)) return result;
      return { ...result, score: sort ? dateRanks[result.id] - 0.5 : result.score * weight };
    });
    return rescored.sort((a, b) => b.score - a.score);
  }
}

// --- Searching -----------------------------------------------------------------------
// A search by the query's letters finds every spelling. A query typed with diacritics
// puts the results with its exact spelling first, from a second search of the coded
// words (the same index chunks: nothing more is downloaded); a phrase typed with them
// matches those words exactly. Pagefind matches a phrase's words exactly, and the
// letters alone are only the beginning of the indexed words: a phrase typed without
// diacritics is searched as its words.
//
// Words typed together are first searched as pairs of adjacent words (bantin/search.py):
// a pair is far rarer than its syllables, and its index is a small part of theirs. The
// results are the articles where the words stand together; the reader can ask for those
// where they stand apart too (?tach=1). A pair the index does not hold (one on few pages)
// finds nothing, and the words are searched instead.
// A query with diacritics is searched twice (its spelling, then every spelling): early(search)
// is given the results of its spelling as soon as they are found, to show them.
async function find(pagefind, state, early) {
  const sort = state.sort === "moi" || !state.q.trim() ? { date: "desc" } : undefined;
  const options = { filters: state.filters, sort };
  if (!state.q.trim()) return pagefind.search(filtersWord(state.filters), options);
  const query = queryForms(state.q);
  if (query.pairs && !state.apart) {
    const pairs = {
      exact: query.pairs.exact.join(" "),
      letters: query.pairs.letters.join(" "),
      marked: query.marked,
      phrase: query.phrase,
    };
    const together = await search(
      pagefind,
      pairs.phrase ? { ...pairs, exact: `"${pairs.exact}"` } : pairs,
      options,
      (found) => early({ ...found, together: true }),
    );
    if (together?.results.length) return { ...together, together: true };
    // A phrase whose every pair the index holds is nowhere if its pairs are not found side
    // by side: its words need not be loaded to tell (their index is most of the download).
    if (pairs.phrase && pairs.marked && together && (await allIndexed(pagefind, query.pairs.exact))) return together;
  }
  return search(pagefind, query, options, early);
}

function filtersWord(filters) {
  const key = FEWEST_ARTICLES_FIRST.find((name) => filters[name]?.length);
  return filterWord(key, filters[key][0]);
}

// As bantin/search.py filter_word: a 32-bit FNV-1a hash of the name and value, in digits.
function filterWord(name, value) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`${name}\n${value}`)) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  return `00${String(hash).padStart(10, "0")}`;
}

// Whether the index holds each of the pairs (their index chunks are loaded already).
async function allIndexed(pagefind, pairs) {
  const found = await Promise.all(pairs.map((pair) => pagefind.search(`"${pair}"`, {})));
  return found.every((search) => search?.results.length);
}

// Results with the query's own spelling first, then those with another spelling. A search
// over a common word's pages takes Pagefind about 0.2 s at 10,000 articles, so the first
// are shown before the others are looked for.
async function search(pagefind, query, options, early) {
  if (query.phrase && query.marked) return pagefind.search(query.exact, options);
  const letters = query.letters.replace(/"/g, " ");
  if (options.sort || !query.marked) return pagefind.search(letters, options);
  const exact = await pagefind.search(query.exact, options);
  if (!exact) return exact;
  // Pagefind answers one request at a time: the results shown have their data loaded first.
  if (exact.results.length) await early(exact);
  const found = await pagefind.search(letters, options);
  if (!found) return found;
  const first = new Set(exact.results.map((result) => result.id));
  return { ...found, results: [...exact.results, ...found.results.filter((result) => !first.has(result.id))] };
}

async function start() {
  // The box answers as soon as the script runs; searches wait for the index.
  const opening = openIndex();
  // Offered when the results are those with the words together (see find).
  const apart = element("button", "bt-search__apart", strings.apart);
  apart.type = "button";
  apart.hidden = true;
  status.after(apart);
  let run = 0;
  let allCounts = false;

  async function show(state, push) {
    writeState(state, push);
    input.value = state.q;
    const current = ++run;
    let listed = null; // the search whose results are on the page
    let shown = 0;
    let placeholders = false; // the build's first results are on the page
    let unavailable = false;
    firstResults(state)?.then((first) => {
      if (!first || current !== run || listed || unavailable) return;
      resultsList.replaceChildren(...first.results.map(({ url, card }) => resultItem(url, card)));
      status.textContent = strings.searching; // the count and the filters are on their way
      placeholders = true;
    });
    let pagefind;
    try {
      pagefind = await opening;
    } catch (error) {
      // From disk (file://) the browser refuses to load the index; a site with no article
      // yet has none. The build's first results, shown already, are still right.
      unavailable = true;
      if (placeholders) {
        status.textContent = "";
        return;
      }
      resultsList.replaceChildren();
      status.textContent = location.protocol === "file:" ? strings.unavailable : strings.none;
      return;
    }
    const hasFilters = Object.keys(state.filters).length > 0;
    const onChange = (next) => show(next, true);
    const loadCounts = allCounts
      ? null
      : async () => {
          await pagefind.filters();
          allCounts = true;
          await show(readState(), false);
          filtersBox.querySelector("input, select")?.focus();
        };
    if (!state.q.trim() && !hasFilters) {
      resultsList.replaceChildren();
      status.textContent = "";
      filterGroups(state, allCounts ? await pagefind.filters() : {}, onChange, loadCounts);
      return;
    }
    status.textContent = strings.searching;
    apart.hidden = true;
    const withWords = Boolean(state.q.trim());
    const more = element("button", "bt-search__more", strings.more);
    more.type = "button";
    // Every result's data is asked for at once; each is shown as soon as it and those
    // before it have come, so the first does not wait for the slowest. Results that take
    // the place of the build's first results go in all at once.
    async function showUpTo(count) {
      const search = listed;
      const replacing = placeholders;
      const items = [];
      for (const loading of search.results.slice(shown, count).map((result) => result.data())) {
        const item = foundItem(await loading, withWords, search.together);
        if (current !== run || search !== listed) return;
        if (replacing) items.push(item);
        else {
          resultsList.append(item);
          shown += 1;
        }
      }
      if (replacing) {
        resultsList.replaceChildren(...items);
        shown = items.length;
        placeholders = false;
      }
      if (shown < search.results.length) resultsList.after(more);
      else more.remove();
    }
    more.addEventListener("click", () => showUpTo(shown + PAGE_SIZE));
    // The results of the query's own spelling, while those of other spellings are looked
    // for; they stay on the page, since they come first in every case.
    async function showEarly(search) {
      if (current !== run) return;
      listed = search;
      resultsList.replaceChildren();
      await showUpTo(PAGE_SIZE);
      if (current === run && listed === search) {
        status.textContent = strings.early.replace("{count}", number(search.results.length));
      }
    }
    const search = await find(pagefind, state, showEarly);
    if (current !== run || !search) return;
    filterGroups(state, search.filters, onChange, loadCounts);
    // Results shown early are the first of these (find gives early ones of the same search).
    if (!listed && !placeholders) resultsList.replaceChildren();
    listed = search;
    await showUpTo(Math.max(shown, PAGE_SIZE));
    // Announced once the results are on the page, for screen readers and for tests.
    if (current === run) {
      const count = search.results.length;
      status.textContent = count ? strings[search.together ? "together" : "results"].replace("{count}", number(count)) : strings.none;
      apart.hidden = !search.together;
      apart.onclick = () => show({ ...state, apart: true }, true);
    }
  }

  let typing;
  input.addEventListener("input", () => {
    clearTimeout(typing);
    typing = setTimeout(() => show({ ...readState(), q: input.value, apart: false }, false), 150);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(typing);
    show({ ...readState(), q: input.value, apart: false }, true);
  });
  window.addEventListener("popstate", () => show(readState(), false));
  await show(readState(), false);
}

start();
