// Preview only: reload the page when the preview server has built the site again
// (or failed to, so that the page shows why).
const events = new EventSource("/__preview__/events");
let seen = null;
events.onmessage = (event) => {
  if (seen !== null && event.data !== seen) location.reload();
  seen = event.data;
};
