// The typed fallback over HTTP, for networks where the WebSocket cannot connect.

export async function sendTyped(url, text, csrfToken) {
  try {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify({ text }),
    });
    let body = {};
    try {
      body = await response.json();
    } catch {
      // an HTML error page: keep the status, use our own message
    }
    return { ok: response.ok, status: response.status, body };
  } catch {
    return { ok: false, status: 0, body: {} };
  }
}
