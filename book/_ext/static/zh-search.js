/*
 * Ranking and snippets for the book's Chinese search (see book/_ext/zh_search.py).
 *
 * Sphinx's index says which pages hold a term, not where or how often. This
 * script keeps Sphinx's lookup, adds every page that holds all the characters
 * of the typed phrase (single characters are indexed), fetches those pages
 * once, and ranks them by where the exact phrase appears: chapter title,
 * section headings, places that introduce a term, then frequency. Each page is
 * listed once, and its snippet is prose with TeX turned into plain symbols.
 */
"use strict";

(() => {
  if (typeof Search === "undefined") return;

  const TEX_SYMBOLS = {
    alpha: "α", beta: "β", gamma: "γ", delta: "δ", epsilon: "ϵ", varepsilon: "ε", zeta: "ζ",
    eta: "η", theta: "θ", kappa: "κ", lambda: "λ", mu: "μ", nu: "ν", xi: "ξ", pi: "π", rho: "ρ",
    sigma: "σ", tau: "τ", phi: "φ", varphi: "φ", chi: "χ", psi: "ψ", omega: "ω",
    Gamma: "Γ", Delta: "Δ", Theta: "Θ", Lambda: "Λ", Sigma: "Σ", Phi: "Φ", Omega: "Ω",
    nabla: "∇", partial: "∂", sum: "∑", prod: "∏", int: "∫", infty: "∞", sqrt: "√",
    times: "×", cdot: "·", div: "÷", pm: "±", le: "≤", leq: "≤", ge: "≥", geq: "≥",
    ne: "≠", neq: "≠", approx: "≈", equiv: "≡", sim: "∼", propto: "∝", in: "∈",
    to: "→", rightarrow: "→", leftarrow: "←", Rightarrow: "⇒", mapsto: "↦",
    top: "ᵀ", ldots: "…", cdots: "⋯", dots: "…", odot: "⊙", otimes: "⊗", circ: "∘",
    lfloor: "⌊", rfloor: "⌋", lceil: "⌈", rceil: "⌉", langle: "⟨", rangle: "⟩",
    log: "log", ln: "ln", exp: "exp", max: "max", min: "min", arg: "arg", sin: "sin",
    cos: "cos", tanh: "tanh", det: "det", quad: " ", qquad: " ",
  };
  const ACCENTS = { hat: "\u0302", bar: "\u0304", tilde: "\u0303", vec: "\u20d7" };
  // Term -> the chapters that teach it, from the glossary (book/_ext/zh_search.py).
  const HOMES = typeof ZH_SEARCH_HOMES !== "undefined" ? ZH_SEARCH_HOMES : {};
  const MAX_PAGES = 60;
  const SNIPPET = 160;
  const HAN = /\p{Script=Han}/u;

  /** Readable plain text for a TeX formula: \(\eta = 0.1\) -> η = 0.1 */
  const texToText = (tex) =>
    tex
      .replace(/^\s*(\\\(|\\\[|\$\$?)/, "")
      .replace(/(\\\)|\\\]|\$\$?)\s*$/, "")
      .replace(/\\(begin|end)\{[^}]*\}/g, " ")
      .replace(/\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}/g, (_, a, b) => `${a.length > 1 ? `(${a})` : a}/${b.length > 1 ? `(${b})` : b}`)
      .replace(/\\(hat|bar|tilde|vec)\s*\{?\s*([A-Za-z])\s*\}?/g, (_, accent, letter) => letter + ACCENTS[accent])
      .replace(/\\\\|&/g, " ")
      .replace(/\\[,;:! ]/g, " ")
      .replace(/\\([A-Za-z]+)\*?/g, (_, name) => TEX_SYMBOLS[name] ?? "")
      .replace(/\^\{?ᵀ\}?/g, "ᵀ")
      .replace(/[{}]/g, "")
      .replace(/\s+/g, " ")
      .trim();

  const normalise = (text) => text.replace(/\s+/g, " ").trim();

  const countOf = (haystack, needle) => {
    let count = 0;
    for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length)) count += 1;
    return count;
  };

  const escapeRegExp = (text) => text.replace(/[.*+\-?^${}()|[\]\\]/g, "\\$&");

  /** The article of a fetched page, as the texts the ranking and the snippet need. */
  const readPage = (html) => {
    const doc = new DOMParser().parseFromString(html, "text/html");
    const article =
      doc.querySelector("article.bd-article") || doc.querySelector('[role="main"]') || doc.body;
    article
      .querySelectorAll(".headerlink, script, style, nav, .section-number, .toggle-details__summary")
      .forEach((el) => el.remove());
    article.querySelectorAll(".math").forEach((el) => {
      el.textContent = ` ${texToText(el.textContent)} `;
    });
    const headings = [...article.querySelectorAll("h1, h2, h3, h4, h5, h6")].map((h) => ({
      level: Number(h.tagName[1]),
      text: normalise(h.textContent),
      id: (h.closest("section") || h).id || "",
    }));
    const title = (headings.find((h) => h.level === 1) || { text: "" }).text;
    const introduced = [...article.querySelectorAll("strong, b, dfn, dt, .glossary dt")].map((el) =>
      normalise(el.textContent).toLowerCase(),
    );
    // Prose blocks for snippets: paragraphs and list items outside code and outputs.
    const prose = [...article.querySelectorAll("p, li, dd, td, th, figcaption")]
      .filter((el) => !el.querySelector("p") && !el.closest("pre, .cell_output, .highlight, .output"))
      .map((el) => normalise(el.textContent))
      .filter((text) => text);
    return { title, headings, introduced, prose, text: normalise(article.textContent) };
  };

  /** Score of a page for the typed phrases, and the section to link to. */
  const scorePage = (page, phrases) => {
    const text = page.text.toLowerCase();
    const title = page.title.toLowerCase();
    let score = 0;
    let found = 0;
    let anchor = "";
    let section = "";
    for (const phrase of phrases) {
      const count = countOf(text, phrase);
      if (count === 0) continue;
      found += 1;
      if (title.includes(phrase)) score += 50 + (50 * phrase.length) / title.length;
      const sections = page.headings.filter((h) => h.level > 1 && h.text.toLowerCase().includes(phrase));
      score += 15 * Math.min(sections.length, 3);
      if (!anchor && sections.length && !title.includes(phrase)) {
        anchor = sections[0].id ? `#${sections[0].id}` : "";
        section = sections[0].text;
      }
      // A term is introduced where it is followed by its English name, 术语（term）, or set in bold.
      const glossed = (text.match(new RegExp(`${escapeRegExp(phrase)}\\s*[（(]\\s*[a-z]`, "g")) || []).length;
      const bold = page.introduced.filter((t) => t.includes(phrase) && t.length <= phrase.length + 8).length;
      score += 20 * Math.min(glossed + bold, 2);
      score += 10 * Math.log2(1 + count);
    }
    // Pages holding every phrase come first.
    return { score: found === phrases.length ? score : score / 10, found, anchor, section };
  };

  /** The chapters that teach a phrase: its glossary entry's, or those of the one term it begins. */
  const homesOf = (phrase) => {
    if (HOMES[phrase]) return HOMES[phrase];
    const longer = Object.keys(HOMES).filter((term) => phrase.length >= 2 && term.startsWith(phrase));
    return longer.length === 1 ? HOMES[longer[0]] : [];
  };

  /** Bonus for the chapter that teaches a typed term (more for the first one the glossary names). */
  const homeBonus = (docName, phrases) =>
    phrases.reduce((bonus, phrase) => {
      const at = homesOf(phrase).indexOf(docName);
      return bonus + (at < 0 ? 0 : at === 0 ? 150 : 60);
    }, 0);

  const snippetOf = (page, phrases) => {
    const longestFirst = [...phrases].sort((a, b) => b.length - a.length);
    for (const phrase of longestFirst) {
      for (const block of [...page.prose, page.text]) {
        const at = block.toLowerCase().indexOf(phrase);
        if (at < 0) continue;
        const start = Math.max(0, at - 50);
        const head = start > 0 ? "……" : "";
        const tail = start + SNIPPET < block.length ? "……" : "";
        return head + block.substr(start, SNIPPET).trim() + tail;
      }
    }
    return page.prose.length ? page.prose[0].substr(0, SNIPPET) : "";
  };

  /** Pages that hold every character of each Chinese phrase (a superset of those holding the phrase). */
  const pagesWithCharacters = (phrases) => {
    const { terms, titleterms } = Search._index;
    const pagesOf = (term) => [].concat(terms[term] ?? [], titleterms[term] ?? []);
    const result = new Set();
    for (const phrase of phrases) {
      if (!HAN.test(phrase)) continue;
      let pages = null;
      for (const character of new Set(phrase)) {
        if (!HAN.test(character)) continue;
        const here = new Set(pagesOf(character));
        pages = pages === null ? here : new Set([...pages].filter((p) => here.has(p)));
      }
      (pages || []).forEach((p) => result.add(p));
    }
    return result;
  };

  const urlsOf = (docName) => {
    const options = DOCUMENTATION_OPTIONS;
    const root = document.documentElement.dataset.content_root;
    if (options.BUILDER === "dirhtml") {
      let dir = `${docName}/`;
      if (dir.match(/\/index\/$/)) dir = dir.substring(0, dir.length - 6);
      else if (dir === "index/") dir = "";
      return [root + dir, root + dir];
    }
    return [root + docName + options.FILE_SUFFIX, docName + options.LINK_SUFFIX];
  };

  const show = (item, phrases) => {
    const listItem = document.createElement("li");
    const link = listItem.appendChild(document.createElement("a"));
    link.href = item.link + item.anchor;
    link.dataset.score = item.score.toFixed(1);
    link.innerHTML = item.title;
    if (item.section) link.appendChild(document.createTextNode(` > ${item.section}`));
    if (item.snippet) {
      const context = listItem.appendChild(document.createElement("p"));
      context.classList.add("context");
      context.textContent = item.snippet;
    }
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      phrases.forEach((phrase) => _highlightText(listItem, phrase, "highlighted"));
    Search.output.appendChild(listItem);
  };

  Search.query = (query) => {
    const [searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms] = Search._parseQuery(query);
    const found = Search._performSearch(searchQuery, searchTerms, excludedTerms, highlightTerms, objectTerms);
    const phrases = [
      ...new Set(
        query
          .toLowerCase()
          .split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}-]+/gu)
          .filter((p) => p && !p.startsWith("-")),
      ),
    ];
    if (typeof SPHINX_HIGHLIGHT_ENABLED !== "undefined" && SPHINX_HIGHLIGHT_ENABLED)
      localStorage.setItem("sphinx_highlight_terms", phrases.join(" "));

    // One candidate per page: Sphinx's best result for it (results come best last).
    const { docnames, titles } = Search._index;
    const candidates = new Map();
    for (const [docName, title, anchor, , score] of found.reverse()) {
      if (!candidates.has(docName)) candidates.set(docName, { docName, title, anchor, sphinx: score });
    }
    const excluded = (file) =>
      [...excludedTerms].some((t) => [].concat(Search._index.terms[t] ?? [], Search._index.titleterms[t] ?? []).includes(file));
    for (const file of pagesWithCharacters(phrases)) {
      const docName = docnames[file];
      if (!candidates.has(docName) && !excluded(file))
        candidates.set(docName, { docName, title: titles[file], anchor: "", sphinx: -1 });
    }

    const ranked = [...candidates.values()].slice(0, MAX_PAGES).map((candidate) => {
      const [request, link] = urlsOf(candidate.docName);
      return fetch(request)
        .then((response) => response.text())
        .then((html) => {
          const page = readPage(html);
          const rank = scorePage(page, phrases);
          if (rank.found > 0) rank.score += homeBonus(candidate.docName, phrases);
          return { ...candidate, ...rank, anchor: rank.anchor || candidate.anchor, link, snippet: snippetOf(page, phrases) };
        })
        // Opened from disk (file://), the browser refuses to fetch the pages: rank by the title and
        // by the chapter that teaches the term, without snippets.
        .catch(() => {
          const title = candidate.title.toLowerCase();
          const inTitle = phrases.filter((phrase) => title.includes(phrase)).length;
          const score = homeBonus(candidate.docName, phrases) + 50 * inTitle + Math.max(candidate.sphinx, 0);
          return { ...candidate, score, found: 1, link, snippet: "" };
        });
    });

    Promise.all(ranked).then((items) => {
      // Where some page holds the phrase, pages that only hold its pieces are noise;
      // otherwise (a long or misspelt query) Sphinx's word matches are the best there is.
      const anyPhrase = items.some((item) => item.found > 0);
      const shown = items
        .filter((item) => (anyPhrase ? item.found > 0 : item.sphinx >= 0))
        .sort((a, b) => b.score - a.score || b.sphinx - a.sphinx || a.title.localeCompare(b.title));
      _removeChildren(document.getElementById("search-progress"));
      shown.forEach((item) => show(item, phrases));
      _finishSearch(shown.length);
    });
  };
})();
