// Embedded posts and videos: the page ships a facade (the platform's name, a link to the post)
// and loads the platform's player only when the reader presses the button. Until then the page
// makes no request to the platform. Without this script the button stays hidden and the link
// leads to the post.
(function () {
  "use strict";
  var facades = document.querySelectorAll("figure[data-embed]");
  Array.prototype.forEach.call(facades, function (figure) {
    var button = figure.querySelector(".embed__load");
    var box = figure.querySelector(".embed__box");
    if (!button || !box) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = figure.getAttribute("data-embed");
      frame.title = figure.getAttribute("data-embed-title") || "";
      frame.className = "embed__player";
      frame.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
      frame.setAttribute("allowfullscreen", "");
      frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
      frame.setAttribute(
        "sandbox",
        "allow-scripts allow-same-origin allow-popups allow-popups-to-escape-sandbox allow-presentation"
      );
      box.replaceChildren(frame);
      frame.focus();
    });
  });
})();
