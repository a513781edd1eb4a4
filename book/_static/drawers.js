/* Make the visible ☰ (chapters) and page-contents buttons work.
 *
 * pydata-sphinx-theme 0.17 adds a second, hidden `.primary-toggle` to its top navbar and binds the
 * drawer handlers to the first `.primary-toggle` / `.secondary-toggle` in the page only, which is
 * not the one sphinx-book-theme shows (pydata-sphinx-theme issue #2451). A click on any other
 * toggle that the themes leave unhandled is passed on to the bound one, so its dialog opens (on
 * narrow screens) or the sidebar collapses (on wide screens). Once the themes handle the visible
 * button themselves, nothing is passed on.
 */
(function () {
  "use strict";

  function state() {
    const parts = [];
    document.querySelectorAll("dialog").forEach((dialog) => parts.push(dialog.open));
    const primary = document.getElementById("pst-primary-sidebar");
    const secondary = document.getElementById("pst-secondary-sidebar");
    parts.push(primary ? primary.className : "", secondary ? secondary.className : "");
    return parts.join("|");
  }

  function forwardClicks(selector) {
    const toggles = Array.from(document.querySelectorAll(selector));
    const bound = toggles[0];
    toggles.slice(1).forEach((toggle) => {
      toggle.addEventListener("click", () => {
        const before = state();
        // Let every handler of this click run first; forward it only if none of them acted.
        window.setTimeout(() => {
          if (state() === before) {
            bound.click();
          }
        }, 0);
      });
    });
  }

  function setup() {
    forwardClicks(".primary-toggle");
    forwardClicks(".secondary-toggle");
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
