import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AllowList, BlockedAddressError, checkAddress, InvalidAllowListEntryError } from '../../activities/adapters/addressPolicy';

const none = AllowList.parse('');

const refused = (host: string, address: string, allow = none) =>
  assert.throws(
    () => checkAddress(host, address, allow),
    (error: unknown) => error instanceof BlockedAddressError && error.address === address && error.host === host,
    `${host} at ${address} must be refused`,
  );

describe('address policy', () => {
  const blocked: [string, string][] = [
    ['loopback', '127.0.0.1'],
    ['loopback, anywhere in 127/8', '127.255.0.9'],
    ['IPv6 loopback', '::1'],
    ['unspecified, reaches this host', '0.0.0.0'],
    ['this network', '0.1.2.3'],
    ['IPv6 unspecified', '::'],
    ['private 10/8', '10.20.30.40'],
    ['private 172.16/12', '172.31.255.1'],
    ['private 192.168/16', '192.168.1.1'],
    ['carrier-grade NAT', '100.64.0.1'],
    ['Alibaba metadata (CGNAT)', '100.100.100.200'],
    ['link-local', '169.254.1.1'],
    ['AWS/GCP/Azure metadata', '169.254.169.254'],
    ['AWS IPv6 metadata (unique local)', 'fd00:ec2::254'],
    ['unique local', 'fc00::1'],
    ['IPv6 link-local', 'fe80::1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped metadata, hex form', '::ffff:a9fe:a9fe'],
    ['NAT64 of metadata', '64:ff9b::a9fe:a9fe'],
    ['6to4 of a private address', '2002:0a00:0001::1'],
    ['IPv4-compatible loopback', '::127.0.0.1'],
    ['IPv4-compatible metadata', '::169.254.169.254'],
    ['IPv4-compatible private, hex form', '::a00:1'],
    ['IPv4-translated loopback', '::ffff:0:127.0.0.1'],
    ['IPv4-translated metadata, hex form', '::ffff:0:a9fe:a9fe'],
    ['Teredo', '2001:0:4136:e378:8000:63bf:3fff:fdd2'],
    ['Teredo, any address in 2001::/32', '2001:0:ffff::1'],
    ['discard-only', '100::1'],
    ['discard-only, end of 100::/64', '100::ffff:ffff:ffff:ffff'],
    ['multicast', '224.0.0.1'],
    ['broadcast', '255.255.255.255'],
  ];
  for (const [what, address] of blocked) {
    test(`refuses ${what} (${address})`, () => refused('host.example', address));
  }

  for (const address of ['8.8.8.8', '1.1.1.1', '93.184.216.34', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '2a00:1450:4001::1', '2001:4860:4860::8888', '100:0:0:1::1']) {
    test(`lets the public address ${address} through`, () => {
      checkAddress('host.example', address, none);
    });
  }

  test('an allow-listed address, CIDR or hostname opens exactly that', () => {
    const allow = AllowList.parse(' 127.0.0.1 , 10.1.0.0/16, fd00:ec2::/32, Minio.Internal. ');
    checkAddress('anything', '127.0.0.1', allow);
    checkAddress('anything', '::ffff:127.0.0.1', allow);
    refused('anything', '127.0.0.2', allow);
    checkAddress('anything', '10.1.200.3', allow);
    refused('anything', '10.2.0.1', allow);
    checkAddress('anything', 'fd00:ec2::254', allow);
    checkAddress('minio.internal', '192.168.7.7', allow);
    checkAddress('MINIO.internal.', '192.168.7.7', allow);
    refused('other.internal', '192.168.7.7', allow);
    assert.deepEqual(allow.entries, ['127.0.0.1', '10.1.0.0/16', 'fd00:ec2::/32', 'Minio.Internal.']);
  });

  for (const entry of ['10.0.0.0/33', '::1/129', 'not a host', 'http://x', '10.0.0.0/8/1', '*.example.com', '1.2.3.4/x']) {
    test(`refuses the allow-list entry ${JSON.stringify(entry)}`, () => {
      assert.throws(() => AllowList.parse(`localhost,${entry}`), (error: unknown) => error instanceof InvalidAllowListEntryError && error.entry === entry);
    });
  }
});
