/* Print: display formulas shrink to fit the printed column (print.css). MathJax's CHTML output
 * cannot break a line, so a formula wider than the page would be cut at the margin. Once MathJax
 * has typeset the page, each display formula gets its natural width in em (--print-fit) and its
 * own font size (--print-size); print.css sets the formula's font size to the smaller of that
 * size and the one at which the formula fills its box. The width comes from MathJax's layout, so
 * formulas hidden in closed dropdowns are measured too, and nothing happens at print time.
 */
(function () {
  "use strict";

  function naturalWidth(item, container) {
    const output = window.MathJax.startup.output;
    try {
      return output.getBBox(item, window.MathJax.startup.document).w;
    } catch (error) {
      // Another MathJax version: measure the typeset formula (0 when it is hidden).
      const math = container.querySelector("mjx-math");
      const size = parseFloat(getComputedStyle(container).fontSize);
      return math && size ? math.getBoundingClientRect().width / size : 0;
    }
  }

  function mark() {
    const mathjax = window.MathJax;
    for (const item of Array.from(mathjax.startup.document.math)) {
      const container = item.typesetRoot;
      if (!item.display || !container || !container.closest("div.math")) continue;
      const width = naturalWidth(item, container);
      if (!(width > 0)) continue;
      container.style.setProperty("--print-fit", width.toFixed(3));
      container.style.setProperty("--print-size", container.style.fontSize || "100%");
    }
  }

  function whenTypeset(attempt) {
    const mathjax = window.MathJax;
    if (mathjax && mathjax.startup && mathjax.startup.promise && mathjax.startup.output) {
      mathjax.startup.promise.then(mark);
    } else if (mathjax && attempt < 100) {
      window.setTimeout(() => whenTypeset(attempt + 1), 100); // MathJax is still loading
    }
  }

  window.addEventListener("load", () => whenTypeset(0));
})();
