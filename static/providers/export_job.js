// Polls an export's status and swaps in the download link when it is ready.
// Loaded only while the export is being built; without JavaScript the page refreshes itself.
(function () {
  var box = document.getElementById("export-status");
  if (!box) { return; }
  var bar = document.getElementById("export-progress");
  var message = document.getElementById("export-message");
  function poll() {
    fetch(box.dataset.statusUrl, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      bar.value = s.percent;
      bar.textContent = s.percent + "%";
      if (s.status === "done") {
        message.textContent = "";
        var link = document.createElement("a");
        link.href = s.download_url;
        link.textContent = box.dataset.downloadText;
        message.appendChild(link);
      } else if (s.status === "failed") {
        message.textContent = s.reason;
      } else {
        setTimeout(poll, 1500);
      }
    }).catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
