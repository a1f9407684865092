// Progressive enhancement: suggestions while typing, into the search box's <datalist>.
// Without JavaScript the search form works exactly the same.
(function () {
  var input = document.querySelector("input[data-suggest]");
  if (!input || !window.fetch) return;
  var list = document.getElementById(input.getAttribute("list"));
  var timer = null, last = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var q = input.value;
      if (q.trim().length < 2 || q === last) return;
      last = q;
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) {
          if (input.value !== q) return;
          list.textContent = "";
          items.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.text;
            list.appendChild(option);
          });
        })
        .catch(function () {});
    }, 150);
  });
})();
