// The import page while invitations are being sent: fetches the page again every few
// seconds and swaps in the status and lists, with no inline script under the CSP.
(function () {
  // Fetch this page again and swap in the status and the lists: the status
  // region stays in place, so screen readers announce the new count.
  var status = document.getElementById("import-status");
  var body = document.getElementById("import-body");
  function poll() {
    fetch(window.location.href, {credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var newStatus = page.getElementById("import-status");
        var newBody = page.getElementById("import-body");
        if (!newStatus || !newBody) { return; }
        status.innerHTML = newStatus.innerHTML;
        body.innerHTML = newBody.innerHTML;
        if (newStatus.hasAttribute("data-in-progress")) {
          setTimeout(poll, 3000);
        } else {
          status.removeAttribute("data-in-progress");
          document.querySelector("h1").textContent = page.querySelector("h1").textContent;
          document.title = page.title;
        }
      })
      .catch(function () { setTimeout(poll, 6000); });
  }
  setTimeout(poll, 3000);
})();
