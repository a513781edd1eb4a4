/* Figures can be enlarged: on a phone a plot shrinks to the column and its labels become too
 * small to read. A figure shown smaller than its stored resolution (plots are stored at twice
 * their size) becomes a button; a tap, Enter or Space opens it in a full-screen dialog at its
 * full size, where it scrolls in both directions. The dialog closes with its 关闭 button, a tap
 * on the picture's background or Escape, and focus goes back to the figure.
 */
(function () {
  "use strict";

  const FIGURES = "article.bd-article figure img, article.bd-article .cell_output img";
  let dialog = null;
  let opener = null;

  function makeDialog() {
    dialog = document.createElement("dialog");
    dialog.className = "dl-zoom";
    dialog.setAttribute("aria-label", "放大的图片");
    const close = document.createElement("button");
    close.type = "button";
    close.className = "dl-zoom-close";
    close.textContent = "关闭";
    close.addEventListener("click", () => dialog.close());
    const frame = document.createElement("div");
    frame.className = "dl-zoom-frame";
    frame.appendChild(document.createElement("img"));
    dialog.append(close, frame);
    // A tap beside the picture (on the dialog or the frame itself) closes it, as Escape does.
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog || event.target === frame) dialog.close();
    });
    dialog.addEventListener("close", () => opener && opener.focus());
    document.body.appendChild(dialog);
  }

  function open(img) {
    if (!dialog) makeDialog();
    const big = dialog.querySelector("img");
    big.src = img.currentSrc || img.src;
    big.alt = img.alt;
    // The stored PNGs are twice their intended size: show them at that size, but never smaller
    // than the screen is wide.
    const width = Math.max(img.naturalWidth / 2, Math.min(img.naturalWidth, window.innerWidth));
    big.style.width = `${Math.round(width)}px`;
    opener = img;
    dialog.showModal();
  }

  function enlargeable(img) {
    return img.naturalWidth > 0 && img.naturalWidth > img.clientWidth * 1.25;
  }

  function prepare(img) {
    if (img.dataset.zoom || !enlargeable(img)) return;
    img.dataset.zoom = "1";
    img.tabIndex = 0;
    img.setAttribute("role", "button");
    img.setAttribute("aria-label", `放大图片：${img.alt || "图"}`);
    img.classList.add("dl-zoomable");
    // Sphinx wraps some figures in a link to the PNG: stay on the page and open the dialog.
    img.addEventListener("click", (event) => {
      event.preventDefault();
      open(img);
    });
    img.addEventListener("keydown", (event) => {
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        open(img);
      }
    });
  }

  function watch() {
    const images = Array.from(document.querySelectorAll(FIGURES));
    images.forEach((img) => (img.complete ? prepare(img) : img.addEventListener("load", () => prepare(img))));
    // A figure inside a closed solution has no width yet: check it again when it is shown.
    const observer = new ResizeObserver((entries) => entries.forEach((entry) => prepare(entry.target)));
    images.forEach((img) => observer.observe(img));
  }

  window.addEventListener("load", watch);
})();
