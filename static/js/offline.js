// Reading offline, as an enhancement: registers the hub's service worker, runs the
// "Keep for offline reading" button of a resource's page and lists what this browser
// keeps on /offline/. Every word shown comes from the page's data attributes, which the
// templates translate. Without JavaScript, or in a browser without service workers,
// nothing here runs and the pages stay as they are.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!("serviceWorker" in navigator) || !window.caches || !script) return;
  var KEPT = "asmhub-kept";
  var VISITED = "asmhub-visited";
  var lang = document.documentElement.lang;

  navigator.serviceWorker.register(script.dataset.worker, {scope: "/"}).catch(function () {});

  function keptAll(urls) {
    return caches.open(KEPT).then(function (cache) {
      return Promise.all(urls.map(function (url) { return cache.match(url); }));
    }).then(function (found) { return found.every(Boolean); });
  }

  function keepButton(box) {
    var urls = JSON.parse(box.dataset.urls);
    var button = box.querySelector("button");
    var status = box.querySelector("[role=status]");
    function show(kept, message) {
      // The label says what pressing does (not aria-pressed, which wants one fixed label).
      button.textContent = kept ? box.dataset.remove : box.dataset.keep;
      box.dataset.state = kept ? "kept" : "";
      button.disabled = false;
      status.textContent = message || "";
    }
    keptAll(urls).then(function (kept) {
      show(kept, kept ? box.dataset.kept : "");
      box.hidden = false;
    });
    button.addEventListener("click", function () {
      var removing = box.dataset.state === "kept";
      button.disabled = true;
      status.textContent = removing ? "" : box.dataset.saving;
      caches.open(KEPT).then(function (cache) {
        if (removing) {
          return Promise.all(urls.map(function (url) { return cache.delete(url); }));
        }
        return cache.addAll(urls);
      }).then(function () {
        show(!removing, removing ? box.dataset.removed : box.dataset.kept);
      }, function () {
        show(false, box.dataset.failed);
      });
    });
  }

  function fileName(response, url) {
    var header = response.headers.get("Content-Disposition") || "";
    var match = header.match(/filename\*=UTF-8''([^;]+)/i) || header.match(/filename="([^"]+)"/i);
    return match ? decodeURIComponent(match[1]) : url.pathname;
  }

  function size(bytes) {
    var megabytes = bytes / 1048576;
    var unit = megabytes >= 1 ? "megabyte" : "kilobyte";
    return new Intl.NumberFormat(lang, {style: "unit", unit: unit, maximumFractionDigits: 1})
      .format(megabytes >= 1 ? megabytes : bytes / 1024);
  }

  // One row of the list: the page's title, or the file's name and size.
  function describe(response, url) {
    var type = response.headers.get("Content-Type") || "";
    if (type.indexOf("text/html") === 0) {
      return response.text().then(function (html) {
        var title = new DOMParser().parseFromString(html, "text/html").title;
        return title || url.pathname;
      });
    }
    return response.blob().then(function (blob) {
      return fileName(response, url) + " (" + size(blob.size) + ")";
    });
  }

  function fill(list, name, box) {
    var section = list.querySelector("[data-cache=" + name + "]");
    var items = section.querySelector("ul");
    return caches.open(name).then(function (cache) {
      return cache.keys().then(function (requests) {
        items.textContent = "";
        section.querySelector(".empty").hidden = requests.length > 0;
        return Promise.all(requests.reverse().map(function (request) {
          var url = new URL(request.url);
          return cache.match(request).then(function (response) {
            return describe(response, url);
          }).then(function (label) {
            var item = document.createElement("li");
            var link = document.createElement("a");
            link.href = url.pathname + url.search;
            link.textContent = label;
            item.appendChild(link);
            if (name === KEPT) {
              var remove = document.createElement("button");
              remove.type = "button";
              remove.className = "button-secondary";
              remove.textContent = box.dataset.removeOne;
              remove.setAttribute("aria-label", box.dataset.removeOne + ": " + label);
              remove.addEventListener("click", function () {
                cache.delete(request).then(function () {
                  item.remove();
                  section.querySelector(".empty").hidden = items.children.length > 0;
                });
              });
              item.appendChild(document.createTextNode(" "));
              item.appendChild(remove);
            }
            return item;
          });
        })).then(function (rows) {
          rows.forEach(function (row) { items.appendChild(row); });
        });
      });
    });
  }

  var box = document.querySelector(".offline-keep");
  if (box) keepButton(box);
  var list = document.getElementById("offline-list");
  if (list) {
    Promise.all([fill(list, KEPT, list), fill(list, VISITED, list)]).then(function () {
      list.hidden = false;
      document.getElementById("offline-needs-js").hidden = true;
    });
  }
})();
