// /embed/demo: the generator writes the snippet for the chosen attributes and updates the live box as they
// change. Without JavaScript the form reloads the page with them, and the server writes the same snippet.
(function () {
  var form = document.getElementById("izde-generator");
  if (!form) return;
  var site = form.dataset.site;
  var names = ["lang", "section", "year", "language", "kind", "results", "theme", "target"];

  function quote(value) {
    return value.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function update() {
    var attributes = names.map(function (name) { return [name, (form.elements[name].value || "").trim()]; })
      .filter(function (pair) { return pair[1]; });
    var text = attributes.map(function (pair) { return " " + pair[0] + '="' + quote(pair[1]) + '"'; }).join("");
    var query = attributes.map(function (pair) {
      return encodeURIComponent(pair[0]) + "=" + encodeURIComponent(pair[1]);
    }).join("&");
    document.getElementById("izde-snippet").textContent =
      '<script src="' + site + '/embed.js" type="module"></script>\n<izde-search' + text + "></izde-search>";
    document.getElementById("izde-iframe").textContent =
      '<iframe src="' + site + "/embed" + (query ? "?" + quote(query) : "") +
      '" title="Izde" width="100%" height="420"></iframe>';
    var live = document.getElementById("izde-live");
    var box = document.createElement("izde-search");
    attributes.forEach(function (pair) { box.setAttribute(pair[0], pair[1]); });
    live.dataset.theme = form.elements.theme.value || "light";
    live.replaceChildren(box);
  }

  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
})();
