// The roster keeps its ticks when the venue's network drops. A tick that
// cannot be sent is kept in this browser (localStorage) with the moment it
// was made, shown as 未送信, and sent when the network returns (on the
// browser's `online` event and every 10 seconds). Without this script the
// roster's forms post as usual. What is not kept: a roster page opened or
// reloaded while offline (the server renders it), and new ticks of others.
(() => {
  const KEY = 'nimo-roster-queue';
  const status = document.getElementById('offline-status');
  const load = () => {
    try {
      return JSON.parse(localStorage.getItem(KEY) || '[]');
    } catch {
      return [];
    }
  };
  const save = (queue) => localStorage.setItem(KEY, JSON.stringify(queue));
  const show = () => {
    const waiting = load().length;
    if (status) status.textContent = waiting ? `未送信の記録が ${waiting} 件あります（通信が戻ると自動で送ります）` : '';
  };
  // true: the server took it (or refused it for good, so it is not retried).
  async function send(item) {
    const response = await fetch('/api/staff/mark_present', {
      method: 'POST',
      body: new URLSearchParams(item),
      headers: { Accept: 'application/json' },
      credentials: 'same-origin',
    });
    return response.ok || (response.status >= 400 && response.status < 500 && ![401, 408, 429].includes(response.status));
  }
  let flushing = false;
  async function flush() {
    if (flushing) return;
    flushing = true;
    const rest = [];
    for (const item of load()) {
      try {
        if (!(await send(item))) rest.push(item);
      } catch {
        rest.push(item);
      }
    }
    save(rest);
    flushing = false;
    show();
  }
  for (const form of document.querySelectorAll('form[action="/api/staff/mark_present"]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const item = Object.fromEntries(new FormData(form));
      item.ticked_at = new Date().toISOString();
      let sent = false;
      if (navigator.onLine) {
        try {
          sent = await send(item);
        } catch {
          sent = false;
        }
      }
      if (!sent) save([...load(), item]);
      const note = document.createElement('span');
      note.setAttribute('role', 'status');
      note.textContent = sent ? '出席（記録しました）' : '出席（この端末に保存・未送信）';
      form.replaceWith(note);
      show();
    });
  }
  addEventListener('online', flush);
  setInterval(() => load().length && flush(), 10_000);
  show();
  if (navigator.onLine) flush();
})();
