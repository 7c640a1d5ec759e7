{% autoescape off %}// ASM Hub's service worker: keeps what a reader chose and the last pages they
// visited, and shows them, marked as offline copies, when the network is gone.
// Served by asmhub/offline.py; registered by static/js/offline.js.
const C = {{ config }};
const SHELL = "asmhub-shell-" + C.version;
const KEPT = "asmhub-kept";
const VISITED = "asmhub-visited";
const ASSETS = "asmhub-assets";
const NEVER = new RegExp(C.neverKept);
const LIMITS = {[VISITED]: 30, [ASSETS]: 60};

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL).then((cache) => cache.addAll(C.shell)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((name) => name.startsWith("asmhub-shell-") && name !== SHELL)
        .map((name) => caches.delete(name))
    )).then(() => self.clients.claim())
  );
});

// Stored only when the server allows it: a whole answer, of this site, not personal.
function storable(response) {
  const control = response.headers.get("Cache-Control") || "";
  return response.status === 200 && response.type === "basic" && !response.redirected &&
    !/no-store|private/.test(control);
}

async function remember(name, request, response) {
  const cache = await caches.open(name);
  await cache.put(request, response);
  const keys = await cache.keys();
  // Oldest first: a page stored again moves to the end.
  for (const key of keys.slice(0, Math.max(0, keys.length - LIMITS[name]))) {
    await cache.delete(key);
  }
}

// A stored page is shown with its "offline copy" banner, which every page carries hidden.
async function marked(response) {
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return response;
  const html = (await response.text()).replace('class="offline-mark" hidden', 'class="offline-mark"');
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  return new Response(html, {status: response.status, statusText: response.statusText, headers});
}

async function fromCache(request) {
  const kept = await caches.match(request, {ignoreVary: true});
  if (kept) return marked(kept);
  if (request.mode === "navigate") {
    const prefix = new URL(request.url).pathname.match(/^\/[a-z]{2}\//);
    const page = C.shell.find((url) => prefix ? url.startsWith(prefix[0]) : url === C.shell[0]);
    const fallback = await caches.match(page || C.shell[0]);
    if (fallback) return marked(fallback);
  }
  return Response.error();
}

async function answer(event) {
  const request = event.request;
  const path = new URL(request.url).pathname;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return fromCache(request);
  }
  if (storable(response)) {
    const type = response.headers.get("Content-Type") || "";
    if (request.mode === "navigate" && type.startsWith("text/html")) {
      event.waitUntil(remember(VISITED, request, response.clone()));
    } else if (/^\/(static|thumbnails|logos)\//.test(path)) {
      event.waitUntil(remember(ASSETS, request, response.clone()));
    }
    // What the reader kept is brought up to date whenever it is read online.
    const kept = await caches.open(KEPT);
    if (await kept.match(request)) event.waitUntil(kept.put(request, response.clone()));
  }
  return response;
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin ||
      NEVER.test(url.pathname)) {
    return;
  }
  event.respondWith(answer(event));
});
{% endautoescape %}
