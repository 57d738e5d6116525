/* rrall flowchart: hovering over or focusing on a node shows the words of the text it encodes.
   Works on any SVG from rrall.web.flowchart_svg, also one put in the page later (event delegation).
   No guideline logic: the quote is the node's data-quote attribute. */
(function () {
  "use strict";
  var tip = null;
  var current = null;

  function nodeOf(target) {
    return target && target.closest ? target.closest("g.node[data-quote]") : null;
  }

  function show(node) {
    tip = tip || document.getElementById("quote-tip");
    if (!tip || !node) return;
    // The drawing's own tooltip would show the same words a second time.
    node.querySelectorAll("a").forEach(function (a) {
      a.removeAttributeNS("http://www.w3.org/1999/xlink", "title");
      a.removeAttribute("xlink:title");
    });
    tip.textContent = "";
    var label = document.createElement("strong");
    label.textContent = node.getAttribute("data-label");
    var quote = document.createElement("q");
    quote.textContent = node.getAttribute("data-quote");
    tip.appendChild(label);
    tip.appendChild(document.createTextNode(": "));
    tip.appendChild(quote);
    tip.hidden = false;
    var box = node.getBoundingClientRect();
    var left = Math.max(8, Math.min(box.left + window.scrollX, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8));
    tip.style.left = left + "px";
    tip.style.top = (box.bottom + window.scrollY + 6) + "px";
    node.setAttribute("aria-describedby", "quote-tip");
    current = node;
  }

  function hide() {
    if (tip) tip.hidden = true;
    if (current) current.removeAttribute("aria-describedby");
    current = null;
  }

  document.addEventListener("mouseover", function (event) {
    var node = nodeOf(event.target);
    if (node && node !== current) show(node);
  });
  document.addEventListener("mouseout", function (event) {
    var node = nodeOf(event.target);
    if (node && !node.contains(event.relatedTarget) && document.activeElement !== node) hide();
  });
  document.addEventListener("focusin", function (event) {
    var node = nodeOf(event.target);
    if (node) show(node); else hide();
  });
  document.addEventListener("focusout", function (event) {
    if (nodeOf(event.target)) hide();
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") hide();
  });
})();
