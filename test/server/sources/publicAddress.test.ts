import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress, resolvePublicAddress } from '../../../server/sources/publicAddress.ts';

describe('private addresses a source may not reach', () => {
  it('refuses loopback, private, link-local, CGNAT, multicast and unspecified addresses, in IPv4, IPv6 and IPv4-mapped IPv6', () => {
    for (const address of [
      '127.0.0.1',
      '10.2.3.4',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '::1',
      '::',
      'fd00::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:10.0.0.1',
    ]) {
      assert.equal(isPrivateAddress(address), true, address);
    }
  });

  it('lets public addresses through', () => {
    for (const address of ['8.8.8.8', '140.82.112.3', '2606:4700::6810:84e5', '::ffff:8.8.8.8'])
      assert.equal(isPrivateAddress(address), false, address);
  });

  it('refuses a private literal unless its host is allowed, and then returns that address to pin', async () => {
    await assert.rejects(resolvePublicAddress(new URL('https://10.0.0.7/r.git'), []), /private or loopback address/);
    await assert.rejects(resolvePublicAddress(new URL('https://[::ffff:169.254.169.254]/r.git'), []), /private or loopback address/);
    assert.deepEqual(await resolvePublicAddress(new URL('http://127.0.0.1:8080/r.git'), ['127.0.0.1']), {
      address: '127.0.0.1',
      family: 4,
    });
    assert.deepEqual(
      await resolvePublicAddress(new URL('http://localhost/r.git'), ['localhost']).then((a) => isPrivateAddress(a.address)),
      true,
    );
  });
});
