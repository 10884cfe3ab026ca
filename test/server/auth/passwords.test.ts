import assert from 'node:assert/strict';
import { it } from 'node:test';
import { generatePassword, hashPassword, verifyPassword } from '../../../server/auth/passwords.ts';

it('passwords are stored salted with scrypt and verified against the hash only', async () => {
  const password = generatePassword();
  const [first, second] = [await hashPassword(password), await hashPassword(password)];
  assert.match(first, /^scrypt\$32768\$8\$1\$/);
  assert.notEqual(first, second, 'each hash has its own salt');
  assert.equal(first.includes(password), false);
  assert.equal(await verifyPassword(password, first), true);
  assert.equal(await verifyPassword(`${password}x`, first), false);
  assert.equal(await verifyPassword(password, 'not-a-hash'), false);
});
