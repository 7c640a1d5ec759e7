/* Resumable uploads on the resource form (the tus 1.0 protocol): the chosen file is sent
   in parts with a progress bar; when the connection drops, the script asks the server how
   much arrived (HEAD) and goes on from there. Once the server has checked the whole file,
   its upload id goes into the hidden field and the file input is emptied, so saving the
   form attaches the file without sending it again. Without this script the file input
   sends the file with the form. The messages come translated in data attributes. */
(function () {
  "use strict";
  var TUS = "1.0.0";

  function readable(bytes) {
    var units = ["bytes", "KB", "MB", "GB"], i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i += 1; }
    return (i ? bytes.toFixed(1) : String(bytes)) + " " + units[i];
  }

  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, key) {
      return key in values ? values[key] : all;
    });
  }

  function base64(text) {
    return window.btoa(unescape(encodeURIComponent(text)));
  }

  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  function setup(box) {
    var input = box.querySelector("input[type=file]");
    var hidden = box.querySelector("input[type=hidden]");
    var bar = box.querySelector("progress");
    var status = box.querySelector(".upload-status");
    var chunkSize = parseInt(box.getAttribute("data-chunk-size"), 10) || 2097152;
    var current = null;
    if (!input || !hidden || !window.XMLHttpRequest || !window.Blob) { return; }

    function say(name, values) {
      status.textContent = fill(box.getAttribute("data-text-" + name), values);
    }

    function request(method, url, headers, body, onDone, onProgress) {
      var xhr = new XMLHttpRequest();
      xhr.open(method, url);
      headers["Tus-Resumable"] = TUS;
      headers["X-CSRFToken"] = csrfToken();
      Object.keys(headers).forEach(function (key) { xhr.setRequestHeader(key, headers[key]); });
      if (onProgress && xhr.upload) { xhr.upload.onprogress = onProgress; }
      xhr.onload = function () { onDone(xhr); };
      xhr.onerror = xhr.onabort = xhr.ontimeout = function () { onDone(null); };
      xhr.send(body || null);
      return xhr;
    }

    function Upload(file) {
      var self = this, url = null, offset = 0, delay = 1000, pending = null, stopped = false;
      var names = { name: file.name, total: readable(file.size) };

      function progress(sent) {
        bar.hidden = false;
        bar.value = file.size ? Math.floor(100 * sent / file.size) : 100;
        names.done = readable(sent);
        say("progress", names);
      }

      function refuse(reason) {
        bar.hidden = true;
        names.reason = reason;
        say("refused", names);
        input.value = "";
      }

      function retry() {
        if (stopped) { return; }
        say("retry", names);
        var wait = delay;
        delay = Math.min(delay * 2, 20000);
        pending = window.setTimeout(resume, wait);
      }

      function resume() {
        pending = null;
        if (!url) { start(); return; }
        request("HEAD", url, {}, null, function (xhr) {
          if (stopped) { return; }
          if (xhr && xhr.status === 200) {
            offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
            send();
          } else if (xhr && xhr.status === 404) {
            url = null;
            offset = 0;
            retry();
          } else {
            retry();
          }
        });
      }

      function finished() {
        bar.value = 100;
        hidden.value = url.replace(/\/$/, "").split("/").pop();
        input.value = "";
        say("done", names);
      }

      function send() {
        var end = Math.min(offset + chunkSize, file.size);
        progress(offset);
        request("PATCH", url, {
          "Upload-Offset": String(offset),
          "Content-Type": "application/offset+octet-stream"
        }, file.slice(offset, end), function (xhr) {
          if (stopped) { return; }
          if (xhr && (xhr.status === 204 || xhr.status === 409)) {
            if (xhr.status === 204) { delay = 1000; }
            offset = parseInt(xhr.getResponseHeader("Upload-Offset"), 10) || 0;
            if (offset >= file.size) { finished(); } else { send(); }
          } else if (xhr && (xhr.status === 413 || xhr.status === 422 || xhr.status === 403)) {
            refuse(xhr.responseText);
          } else {
            retry();
          }
        }, function (event) { progress(offset + event.loaded); });
      }

      function start() {
        request("POST", box.getAttribute("data-upload-url"), {
          "Upload-Length": String(file.size),
          "Upload-Metadata": "filename " + base64(file.name)
        }, null, function (xhr) {
          if (stopped) { return; }
          if (xhr && xhr.status === 201) {
            url = xhr.getResponseHeader("Location");
            offset = 0;
            delay = 1000;
            send();
          } else if (xhr && xhr.status >= 400 && xhr.status < 500) {
            refuse(xhr.responseText);
          } else {
            retry();
          }
        });
      }

      self.stop = function () {
        stopped = true;
        if (pending) { window.clearTimeout(pending); }
      };
      // Back online: go on at once instead of waiting for the next try.
      window.addEventListener("online", function () {
        if (pending && !stopped) { window.clearTimeout(pending); resume(); }
      });
      hidden.value = "";
      progress(0);
      start();
    }

    input.addEventListener("change", function () {
      if (current) { current.stop(); current = null; }
      var file = input.files && input.files[0];
      if (file) { current = new Upload(file); }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll(".resumable-upload"), setup);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
