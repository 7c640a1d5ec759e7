/* The withdrawal page: the private link carries the key after the "#", which browsers
   never send to a server; put it in the form and take it out of the address bar.
   Without this script the person pastes the key shown on the thank-you page. */
(function () {
  "use strict";
  var key;
  try { key = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { return; }
  var field = document.getElementById("id_key");
  if (!key || !field) { return; }
  field.value = key;
  if (window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
