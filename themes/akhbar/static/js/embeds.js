// Embedded posts and videos: the page ships a facade (the platform's name, a link to the post)
// and this script adds the button that loads the platform's player, only when the reader
// presses it. Until then the page makes no request to the platform. Without this script (and in
// feeds) there is no button, and the link leads to the post.
(function () {
  "use strict";
  var facades = document.querySelectorAll("figure[data-embed]");
  Array.prototype.forEach.call(facades, function (figure) {
    var box = figure.querySelector(".embed__box");
    var link = figure.querySelector(".embed__link");
    if (!box || !link) {
      return;
    }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "embed__load";
    // «اعرض المحتوى من YouTube»: the platform's name isolated, as the page writes it.
    var name = document.createElement("bdi");
    name.textContent = figure.getAttribute("data-embed-platform") || "";
    button.append((figure.getAttribute("data-embed-show") || "") + " ", name);
    link.before(button);
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
