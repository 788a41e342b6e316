// Preview only: after each build (or first look at an edited page, or failed build),
// reload the page if what the server now has for it differs from what it shows.
const shown = document.querySelector('meta[name="bt-preview-digest"]')?.content;
const events = new EventSource("/__preview__/events");
let seen = null;
events.onmessage = async (event) => {
  const changed = seen !== null && event.data !== seen;
  seen = event.data;
  if (!changed) return;
  const now = await fetch(location.href, { cache: "no-store" });
  if (now.headers.get("X-Preview-Digest") !== shown) location.reload();
};
