import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { CredentialCipher } from '../../../server/sources/credentialCipher.ts';

describe("sources' credentials", () => {
  const cipher = new CredentialCipher(randomBytes(32));

  it('are sealed so that the token does not appear, and open to what was sealed', () => {
    const sealed = cipher.seal({ token: 'glpat-abcdef123456' });
    assert.equal(sealed.includes(Buffer.from('glpat-abcdef123456')), false);
    assert.deepEqual(cipher.open(sealed), { token: 'glpat-abcdef123456' });
    assert.notDeepEqual(cipher.seal({ token: 'same' }), cipher.seal({ token: 'same' }), 'a fresh nonce each time');
  });

  it('do not open under another key, nor when tampered with', () => {
    const sealed = cipher.seal({ token: 't' });
    assert.throws(() => new CredentialCipher(randomBytes(32)).open(sealed), /was the key changed/);
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    assert.throws(() => cipher.open(tampered), /cannot be decrypted/);
  });

  it('are refused without SOURCE_CREDENTIALS_KEY rather than stored in the clear', () => {
    assert.throws(() => new CredentialCipher(undefined).seal({ token: 't' }), /SOURCE_CREDENTIALS_KEY/);
  });
});
