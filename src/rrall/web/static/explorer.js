/* rrall explorer: collects the facts from the form, asks the server's walk endpoint, shows the answer.
   It holds no guideline logic: the options, exclusions, missing facts and route come from the server. */
(function () {
  "use strict";
  var body = document.body;
  var form = document.getElementById("facts");
  var sent = 0;      // requests sent
  var shown = 0;     // the newest request whose answer is shown
  var timer = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function labelOf(name) {
    var holder = form.querySelector('[data-fact="' + name + '"]');
    var legend = holder && holder.querySelector("legend, .legend");
    return legend ? legend.textContent : name;
  }

  function factValue(holder) {
    var kind = holder.getAttribute("data-kind");
    if (kind === "integer" || kind === "measure") {
      var input = holder.querySelector("input");
      if (input.value.trim() === "") return undefined;
      var number = Number(input.value);
      var taken = kind === "integer" ? Number.isInteger(number) : Number.isFinite(number);
      return taken ? number : input.value;  // the server names what is wrong
    }
    var picked = holder.querySelector("input[type=radio]:checked");
    if (!picked || picked.value === "") return undefined;
    if (kind === "choice") return picked.value;
    if (kind === "boolean") return picked.value === "true";
    if (kind === "subset") {
      return Array.prototype.map.call(holder.querySelectorAll("input.item:checked"), function (box) {
        return box.value;
      });
    }
    return holder.querySelector("input.items").value.split(",").map(function (item) {
      return item.trim();
    }).filter(function (item) { return item !== ""; });
  }

  function patient() {
    var facts = {};
    form.querySelectorAll("[data-fact]").forEach(function (holder) {
      var value = factValue(holder);
      if (value !== undefined) facts[holder.getAttribute("data-fact")] = value;
    });
    return facts;
  }

  function quote(text) {
    var block = el("blockquote", "quote");
    block.appendChild(el("p", "", "\u201c" + text + "\u201d"));
    return block;
  }

  // words: the guideline's keys for an option's components, other names and forms, and the
  // terms heading its details (the server's answer gives them: R/R ALL's "drugs", "brands").
  function option(item, words) {
    var li = el("li", "option " + (item.conditions.length ? "conditional" : "definite"));
    li.setAttribute("data-option", item.id);
    var aliases = item[words.aliases], components = item[words.components], variants = item[words.variants];
    var heading = el("h3", "", item.name + (aliases.length ? " (" + aliases.join(", ") + ")" : "") + " ");
    heading.appendChild(item.conditions.length
      ? el("span", "badge conditional", "offered if the unknown facts allow")
      : el("span", "badge definite", "offered"));
    li.appendChild(heading);
    var list = el("dl");
    function row(term, value) { list.appendChild(el("dt", "", term)); list.appendChild(el("dd", "", value)); }
    if (components.length) row(words.terms.components, components.join(", "));
    if (variants.length) row(words.terms.variants, variants.join("; "));
    if (item.already_given && item.already_given.length) row(words.terms.already_given, item.already_given.join(", "));
    item.conditions.forEach(function (requirement) { row("Only if", requirement.text); });
    if (list.childNodes.length) li.appendChild(list);
    item.notes.forEach(function (note) { li.appendChild(el("p", "note", note)); });
    item.quotes.forEach(function (text) { li.appendChild(quote(text)); });
    return li;
  }

  function exclusion(item) {
    var li = el("li", "excluded");
    li.setAttribute("data-option", item.id);
    li.appendChild(el("h3", "", item.name));
    li.appendChild(el("p", "reason", item.reason));
    li.appendChild(quote(item.quote));
    return li;
  }

  function step(item, labels) {
    var li = el("li");
    li.setAttribute("data-node", item.node);
    li.appendChild(el("strong", "", item.label));
    var read = Object.keys(item.read).map(function (name) { return labelOf(name) + " = " + item.read[name]; });
    li.appendChild(document.createTextNode((read.length ? " [" + read.join(", ") + "]" : "") + " \u2192 " +
      (item.taken.map(function (id) { return labels[id] || id; }).join(", ") || "nothing")));
    li.appendChild(quote(item.quote));
    return li;
  }

  function fill(id, items, make) {
    var list = document.getElementById(id);
    list.textContent = "";
    items.forEach(function (item) { list.appendChild(make(item)); });
  }

  function show(answer) {
    var result = answer.walk;
    var definite = result.options.filter(function (item) { return !item.conditions.length; }).length;
    document.getElementById("options-summary").textContent = result.options.length
      ? definite + " definite, " + (result.options.length - definite) + " depending on unknown facts."
      : "The text offers no option for these facts.";
    fill("options", result.options, function (item) { return option(item, answer.words); });
    fill("excluded", result.excluded, exclusion);
    document.getElementById("missing-summary").textContent = result.missing.length
      ? "Unknown facts that would change the options, most decisive first:"
      : "No unknown fact would change the options.";
    fill("missing", result.missing, function (name) {
      var li = el("li", "", labelOf(name) + " ");
      li.setAttribute("data-fact", name);
      li.appendChild(el("code", "", name));
      return li;
    });
    fill("path", result.path, function (item) { return step(item, answer.labels); });
    document.getElementById("chart").innerHTML = answer.flowchart;  // SVG built and escaped by the server
  }

  function settle(number, state, message, facts) {
    if (number !== sent) return;  // a newer request is on its way
    var error = document.getElementById("error");
    error.hidden = !message;
    error.textContent = message || "";
    document.getElementById("main").setAttribute("aria-busy", "false");
    body.setAttribute("data-state", state);
    body.setAttribute("data-revision", String(number));
    body.setAttribute("data-facts", facts);  // the facts the page now shows the answer for
  }

  function update() {
    var number = ++sent;
    var facts = JSON.stringify(patient());
    body.setAttribute("data-state", "loading");
    document.getElementById("main").setAttribute("aria-busy", "true");
    fetch(body.getAttribute("data-walk-url"), {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: facts
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (reply) {
      if (number !== sent || number < shown) return;
      if (!reply.ok) {
        var where = reply.data.field ? labelOf(reply.data.field) + " (" + reply.data.field + "): " : "";
        settle(number, "error", "These facts cannot be walked. " + where + reply.data.error, facts);
        return;
      }
      shown = number;
      show(reply.data);
      var count = reply.data.walk.options.length;
      document.getElementById("status").textContent = count + " option" + (count === 1 ? "" : "s") + " offered.";
      settle(number, "ready", "", facts);
    }).catch(function (failure) {
      settle(number, "error", "The server did not answer: " + failure, facts);
    });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 120);
  }

  form.addEventListener("input", function (event) {
    // Ticking an item or typing one means the set is known.
    var holder = event.target.closest("[data-fact]");
    if (holder && (event.target.classList.contains("item") || event.target.classList.contains("items"))) {
      holder.querySelector('input[type=radio][value="known"]').checked = true;
    }
    soon();
  });
  form.addEventListener("change", soon);
  form.addEventListener("reset", function () { setTimeout(update, 0); });
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  update();
})();
