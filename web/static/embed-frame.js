// The iframe version of the partner box (/embed) tells the page that frames it how tall it is, whenever that
// changes, so the page can size the iframe: window.postMessage({type: "izde:height", height: <pixels>}, "*").
// It carries no data from the page or the search; any origin may listen. See README, "The partner box".
(function () {
  if (window.parent === window) return;
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) {
      last = height;
      window.parent.postMessage({ type: "izde:height", height: height }, "*");
    }
  }
  if (window.ResizeObserver) new ResizeObserver(report).observe(document.documentElement);
  window.addEventListener("load", report);
  report();
})();
