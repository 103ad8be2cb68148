// Reads what the document of this frame's origin keeps in the browser. It
// runs in an isolated world, so the page's own scripts cannot change the
// functions it calls. It only reads: it opens no database and creates no
// cache. An API that is missing (Cache Storage and service workers need a
// secure context) counts as empty; any other failure is reported.
(async () => {
  const out = {
    origin: self.origin,
    url: document.URL,
    localStorage: 0,
    sessionStorage: 0,
    indexedDB: [],
    cacheStorage: [],
    serviceWorker: [],
    hints: [],
    errors: [],
  };
  const attempt = async (what, read) => {
    try {
      await read();
    } catch (e) {
      out.errors.push(what + ": " + e);
    }
  };
  await attempt("localStorage", () => { out.localStorage = localStorage.length; });
  await attempt("sessionStorage", () => { out.sessionStorage = sessionStorage.length; });
  await attempt("indexedDB", async () => {
    if (self.indexedDB) {
      out.indexedDB = (await indexedDB.databases()).map((db) => db.name);
    }
  });
  await attempt("caches", async () => {
    if (self.caches) {
      out.cacheStorage = await caches.keys();
    }
  });
  await attempt("serviceWorker", async () => {
    if (navigator.serviceWorker) {
      out.serviceWorker = (await navigator.serviceWorker.getRegistrations()).map((r) => r.scope);
    }
  });
  // The browser opens connections for these hints without a request that
  // it reports, so they are read from the markup.
  for (const link of document.querySelectorAll("link[rel][href]")) {
    for (const rel of ["preconnect", "dns-prefetch"]) {
      if (link.relList.contains(rel)) {
        out.hints.push({ rel: rel, href: link.href });
      }
    }
  }
  return out;
})()
