// Reads the mail the app sent: from the SMTP server's Maildir when the test
// command runs one (TEST_MAILDIR), else from the app's outbox folder.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function decode(raw) {
  const text = raw.replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const headers = text.slice(0, split);
  const body = text.slice(split + 2);
  if (/Content-Transfer-Encoding: base64/i.test(headers)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const soft = body.replace(/=\n/g, '');
    const bytes = [];
    for (let i = 0; i < soft.length; i++) {
      if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
        bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
        i += 2;
      } else {
        bytes.push(...Buffer.from(soft[i], 'utf8'));
      }
    }
    return Buffer.from(bytes).toString('utf8');
  }
  return body;
}

// The newest message to `address` containing `needle`, waiting up to 5 s.
export async function mailTo(server, address, needle) {
  const dirs = process.env.TEST_MAILDIR
    ? [join(process.env.TEST_MAILDIR, 'new'), join(process.env.TEST_MAILDIR, 'cur')]
    : [join(server.dataDir, 'outbox')];
  for (let attempt = 0; attempt < 50; attempt++) {
    const found = [];
    for (const dir of dirs) {
      let names = [];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      for (const name of names) {
        const path = join(dir, name);
        const raw = readFileSync(path, 'utf8');
        if (!raw.split(/\r?\n/).some((l) => l.startsWith('To: ') && l.includes(address))) continue;
        const body = decode(raw);
        if (body.includes(needle)) found.push([statSync(path).mtimeMs, body]);
      }
    }
    found.sort((a, b) => a[0] - b[0]);
    if (found.length) return found.at(-1)[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} containing ${needle}`);
}

export function linkIn(body, prefix) {
  const match = body.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\S+`));
  if (!match) throw new Error(`no link starting ${prefix} in: ${body}`);
  return match[0];
}
