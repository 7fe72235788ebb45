// Staff steps the specs share: accepting an e-mailed invitation and
// inviting someone.
import assert from 'node:assert/strict';
import { mailTo, linkIn } from './mail.mjs';

export async function acceptInvitation(server, page, address, newPassword) {
  const mail = await mailTo(server, address, '/staff/accept');
  await page.goto(linkIn(mail, `${server.baseURL}/staff/accept`));
  await page.getByLabel('パスワード', { exact: true }).fill(newPassword);
  await page.getByLabel('パスワード（確認）').fill(newPassword);
  await page.getByRole('button', { name: '登録する' }).click();
  await page.waitForURL('**/staff');
}

export async function invite(page, { name, email, role, jurisdiction }) {
  await page.goto('/staff/invite');
  await page.getByLabel('お名前').fill(name);
  await page.getByLabel('メールアドレス').fill(email);
  await page.getByLabel('役割').selectOption(role);
  await page.getByLabel(/担当する自治体/).fill(jurisdiction);
  await page.getByRole('button', { name: '招待メールを送る' }).click();
  await page.waitForURL('**/staff?invited=*');
  assert.match(await page.getByTestId('invited').textContent(), new RegExp(email.replace('.', '\\.')));
}
