/* A formula wider than its box scrolls sideways inside it (layout.css). A scrolling box must be
 * reachable by keyboard, so it is a Tab stop exactly while it scrolls, as the theme does for code
 * blocks; formulas that fit are never Tab stops. A ResizeObserver re-checks a box whenever it or
 * its formula changes size: the column narrows, or a hidden solution is opened.
 */
(function () {
  "use strict";

  const BOXES = "div.math mjx-container, span.math";

  function update(box) {
    if (box.scrollWidth > box.clientWidth + 1) {
      box.tabIndex = 0;
    } else if (box.hasAttribute("tabindex")) {
      box.removeAttribute("tabindex");
    }
  }

  function watch() {
    const boxes = Array.from(document.querySelectorAll(BOXES));
    // Watch each box and what it holds: the content can change width while the box does not.
    const owner = new Map();
    const observer = new ResizeObserver((entries) => entries.forEach((entry) => update(owner.get(entry.target))));
    boxes.forEach((box) => {
      update(box);
      [box, box.firstElementChild].filter(Boolean).forEach((el) => {
        owner.set(el, box);
        observer.observe(el);
      });
    });
    // Web fonts change widths without resizing anything watched: check once more when they are in.
    if (document.fonts && document.fonts.ready) {
      document.fonts.ready.then(() => boxes.forEach(update));
    }
  }

  function whenTypeset(attempt) {
    const mathjax = window.MathJax;
    if (mathjax && mathjax.startup && mathjax.startup.promise) {
      mathjax.startup.promise.then(watch);
    } else if (mathjax && attempt < 100) {
      window.setTimeout(() => whenTypeset(attempt + 1), 100); // MathJax is still loading
    } else {
      watch();
    }
  }

  window.addEventListener("load", () => whenTypeset(0));
})();
